"""Read survey waves under the public input contract (see docs/survey.md).

Each wave is one file: a plain CSV (UTF-8 with or without BOM, LF or CRLF,
columns in any order, extra columns ignored) or a survey platform's export
(survey/platforms/). Every problem of every
wave is collected and reported at once, naming wave, file, column, rows and
the accepted labels, so a user fixes the export in one pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from downstream_safety.common.errors import InputError, combine
from downstream_safety.common.tableio import read_csv_text
from downstream_safety.instruments.design import Design
from downstream_safety.paths import rel
from downstream_safety.survey.platforms import NONRESPONSE_STATUSES, Wanted, read_export
from downstream_safety.survey.platforms.common import FORMAT_OF, header_error
from downstream_safety.survey.platforms.detect import looks_like
from downstream_safety.survey.platforms.verdicts import add_verdicts

log = logging.getLogger(__name__)

ID_COLUMN = "respondent_id"
POOLED = "all"


def base_columns(design: Design) -> list[str]:
    """Respondent columns of a wave besides the items: id, demographics, screening columns."""
    return [ID_COLUMN, *design.respondent_columns]


@dataclass
class Wave:
    id: str
    path: Path
    responses: pd.DataFrame  # one row per respondent; item codes 1..k, NaN = missing
    extra_columns: list[str] = field(default_factory=list)
    # Rows of a platform export that are not responses (platforms.NONRESPONSE_STATUSES).
    nonresponses: dict[str, int] = field(default_factory=dict)


def _with_wave(wave: str, err: InputError) -> InputError:
    return InputError(
        err.file,
        f"survey wave '{wave}': {err.problem}",
        column=err.column,
        rows=err.rows or None,
        values=err.values or None,
        fix=err.fix,
    )


def _check_labels(
    df: pd.DataFrame, column: str, accepted: list[str], wave: str, file: str, first: int = 2
) -> InputError | None:
    bad = ~df[column].isin(accepted)
    if not bad.any():
        return None
    shown = [repr(a) if a == "" else a for a in accepted]
    return InputError(
        file,
        f"survey wave '{wave}': unknown label(s)",
        column=column,
        rows=(df.index[bad] + first).tolist(),
        values=sorted(set(df.loc[bad, column])),
        fix=f"use exactly one of: {'; '.join(shown)} (empty = no answer)"
        if "" in accepted
        else f"use exactly one of: {'; '.join(shown)}",
    )


def wanted_columns(design: Design) -> Wanted:
    """The design's columns of a wave with their labels, for the platform readers."""
    missing = tuple(design.missing_labels)
    accepted = {c: tuple(a) for c, a in design.respondent_columns.items()}
    positions = {c: tuple(a for a in acc if a != "") for c, acc in accepted.items()}
    scale = {}
    for item_id in design.item_ids:
        s = design.scale_of(item_id)
        accepted[item_id] = (*s.labels, *missing)
        positions[item_id] = tuple(s.labels)
        scale[item_id] = str(design.items.set_index("item_id").at[item_id, "scale_id"])
    return Wanted([*design.respondent_columns, *design.item_ids], accepted, positions, scale)


def _read_platform(wave, p, design, required, fmt, columns, verdicts, values):
    """A platform export as a plain wave frame (unused columns never kept)."""
    file = rel(p)
    export = read_export(fmt, p, wave, wanted_columns(design), columns, values)
    df = export.frame
    if df.empty:
        raise InputError(
            file,
            f"survey wave '{wave}': no responses in the export ({export.preview} preview, test "
            f"or spam row(s), {export.unfinished} unfinished; read as {export.layout})",
            column="Status, Finished (LimeSurvey: submitdate)",
            fix="export the survey's recorded responses (not only previews or tests)",
        )
    if verdicts is not None:
        df = add_verdicts(df, verdicts, wave, list(design.screening_columns))
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise header_error(
            file,
            f"survey wave '{wave}': required column(s) missing",
            missing,
            "export every item, demographic and screening question, map differing export "
            "tags as export_tag,item_id rows of the wave's columns file"
            + (f" ({rel(Path(columns))})" if columns is not None else "")
            + ", and give verdicts in its verdicts file",
        )
    counts = dict(zip(NONRESPONSE_STATUSES, (export.preview, export.unfinished), strict=True))
    return df, counts, export.dropped_columns


def _plain(p: Path, required: list[str], wave: str):
    """A plain wave; a platform's export configured as plain is refused by its platform."""
    try:
        df = read_csv_text(p, required=required)
    except InputError:
        found = looks_like(p) if p.exists() else None
        if found and found != "a plain wave":
            raise InputError(
                rel(p),
                f"survey wave '{wave}': configured as a plain wave, but the file looks like "
                f"{found}",
                rows=[1],
                fix=f"set the wave's format to the platform that wrote it ({FORMAT_OF[found]})",
            ) from None
        raise
    return df.apply(lambda col: col.str.strip())


def read_wave(
    wave: str,
    path: Path | str,
    design: Design,
    *,
    fmt: str = "plain",
    columns: Path | str | None = None,
    verdicts: Path | str | None = None,
    values: Path | str | None = None,
) -> Wave:
    """Read one wave's file, check it against the contract and code the answers.

    ``fmt`` is ``plain`` (docs/survey.md) or a platform's export (``qualtrics``,
    ``spss``, ``limesurvey``), with optional tag mapping, answer values and
    verdicts files.
    """
    p = Path(path)  # relative paths resolve from the working directory
    file = rel(p)
    base = base_columns(design)
    required = base + design.item_ids
    nonresponses: dict[str, int] = {}
    first = 2  # file line of data row 0
    try:
        if fmt == "plain":
            df = _plain(p, required, wave)
        else:
            df, nonresponses, dropped = _read_platform(
                wave, p, design, required, fmt, columns, verdicts, values
            )
            first = 0  # a platform frame is indexed by the rows' lines already
    except InputError as err:
        raise _with_wave(wave, err) if "survey wave" not in str(err) else err from None
    problems: list[InputError] = []
    ids = df[ID_COLUMN]
    empty = ids == ""
    if empty.any():
        problems.append(
            InputError(
                file,
                f"survey wave '{wave}': empty respondent_id",
                column=ID_COLUMN,
                rows=(df.index[empty] + first).tolist(),
                fix="give every respondent a pseudonymous id (e.g. R0001)",
            )
        )
    dup = ids.duplicated(keep=False) & ~empty
    if dup.any():
        problems.append(
            InputError(
                file,
                f"survey wave '{wave}': duplicate respondent_id",
                column=ID_COLUMN,
                rows=(df.index[dup] + first).tolist(),
                values=sorted(set(ids[dup])),
                fix="respondent ids must be unique within a wave; remove repeated submissions",
            )
        )
    for column, accepted in design.respondent_columns.items():
        problems.append(_check_labels(df, column, list(accepted), wave, file, first))
    missing = list(design.missing_labels)
    for item_id in design.item_ids:
        accepted = list(design.scale_of(item_id).labels) + missing
        problems.append(_check_labels(df, item_id, accepted, wave, file, first))
    problems = [e for e in problems if e is not None]
    if problems:
        raise combine(problems)

    out = df[base].copy().reset_index(drop=True)
    for item_id in design.item_ids:
        codes = design.scale_of(item_id).codes
        out[item_id] = df[item_id].map(codes).astype(float).to_numpy()  # missing -> NaN
    out.insert(0, "wave", wave)
    # A platform export's unused columns are dropped unread; only their count is kept.
    extra = [c for c in df.columns if c not in required] if fmt == "plain" else []
    if fmt != "plain" and dropped:
        extra = [f"{len(dropped)} platform column(s) not used (dropped unread)"]
    return Wave(wave, p, out, extra, nonresponses)


def check_wave_list(waves: list[dict], config_file: str = "config/config.yaml") -> None:
    """Wave ids are unique and not the reserved pooled id."""
    ids = [str(w["id"]) for w in waves]
    dups = sorted({i for i in ids if ids.count(i) > 1})
    if dups:
        raise InputError(
            config_file,
            "survey wave id used more than once",
            column="survey.waves[].id",
            values=dups,
            fix="give every wave its own id",
        )
    if POOLED in ids:
        raise InputError(
            config_file,
            f"survey wave id '{POOLED}' is reserved for the pooled rows",
            column="survey.waves[].id",
            fix="rename the wave",
        )


def read_waves(waves: list[dict], design: Design) -> list[Wave]:
    """Read every configured wave; all problems of all waves in one error."""
    check_wave_list(waves)
    out, problems = [], []
    for w in waves:
        try:
            out.append(
                read_wave(
                    str(w["id"]),
                    w["responses"],
                    design,
                    fmt=w.get("format", "plain"),
                    columns=w.get("columns"),
                    verdicts=w.get("verdicts"),
                    values=w.get("values"),
                )
            )
        except InputError as err:
            problems.append(err)
    if problems:
        raise combine(problems)
    for w in out:
        if w.extra_columns:
            log.info(
                "survey wave '%s' (%s): ignoring extra column(s): %s",
                w.id,
                rel(w.path),
                ", ".join(w.extra_columns),
            )
    return out


def validate_waves(waves: list[dict], design: Design) -> list[str]:
    """Parse-time check used by the workflow; returns the wave ids."""
    return [w.id for w in read_waves(waves, design)]


def screen(responses: pd.DataFrame, design: Design) -> pd.Series:
    """Screening status: the first configured rule that excludes a respondent, else valid."""
    if not design.screening:
        return pd.Series("valid", index=responses.index, dtype=object)
    return pd.Series(
        np.select(
            [rule.excludes(responses).to_numpy() for rule in design.screening],
            [rule.status for rule in design.screening],
            "valid",
        ),
        index=responses.index,
    )
