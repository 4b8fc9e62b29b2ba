"""Survey-platform exports (``survey.waves[].format: qualtrics``), read as they come.

The legacy CSV export has three header rows: column names, question texts and
import-id JSON. Its rows include previews, tests, spam and unfinished responses,
and columns with personal data (IP address, location, recipient fields, the
recruitment platform's ids, free-text answers). This module turns it into the
plain wave format of docs/survey.md: only the id, the item, demographic and
screening columns are kept, and every other column is dropped as the file is
read, before any check can echo one of its values.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError, combine
from downstream_safety.common.tableio import read_csv_text, read_text
from downstream_safety.paths import rel

FORMATS = ("plain", "qualtrics")
ID_TAG = "ResponseId"
STATUS_TAG = "Status"
FINISHED_TAG = "Finished"
# Status values of rows that are not responses.
NOT_RESPONSES = ("Survey Preview", "Survey Test", "Spam")
FINISHED = {"true": True, "1": True, "false": False, "0": False}
# Columns with personal data: dropped like every other unused column, and named
# here so that the pseudonymisation command and the tests know them.
PERSONAL = (
    "IPAddress",
    "ExternalReference",
    "ExternalDataReference",
    "LocationLatitude",
    "LocationLongitude",
    "PROLIFIC_PID",
    "STUDY_ID",
    "SESSION_ID",
)
PERSONAL_PREFIXES = ("Recipient",)
HEADER_ROWS = 3  # data row i (0-based) is line i + 4 of the file


def is_personal(column: str) -> bool:
    return column in PERSONAL or column.startswith(PERSONAL_PREFIXES)


@dataclass
class Export:
    """A platform export reduced to the plain wave's columns."""

    frame: pd.DataFrame  # respondents only; index = 0-based data row of the file
    preview: int  # Survey Preview / Survey Test / Spam rows
    unfinished: int  # Finished = False rows (that are not previews)
    dropped_columns: list[str]  # names only; their values are gone


def _header_rows(path: Path) -> list[list[str]]:
    text = read_text(path)
    rows = list(csv.reader(io.StringIO(text)))
    return rows[:HEADER_ROWS]


def header_error(file: str, problem: str, missing: list[str], fix: str) -> InputError:
    """Columns missing from the export's first row, which holds the column names."""
    return InputError(file, problem, column=", ".join(missing), rows=[1], fix=fix)


def _flag(file: str, problem: str, df: pd.DataFrame, mask: pd.Series, column: str, fix: str):
    """An error naming the lines and values of ``column`` where ``mask`` holds (header = 1)."""
    return InputError(
        file,
        problem,
        column=column,
        rows=(df.index[mask] + 2).tolist(),
        values=sorted(set(df.loc[mask, column])),
        fix=fix,
    )


def _mapping(path: Path | str | None, columns: list[str], wave: str) -> dict[str, str]:
    """export_tag -> column of the plain format, from the wave's ``columns`` file."""
    if path is None:
        return {}
    file = rel(Path(path))
    df = read_csv_text(path, required=["export_tag", "item_id"])
    df = df.apply(lambda c: c.str.strip())
    problems = []
    unknown = ~df["item_id"].isin(columns)
    if unknown.any():
        problems.append(
            _flag(
                file,
                f"survey wave '{wave}': mapping names column(s) the design does not have",
                df,
                unknown,
                "item_id",
                "use item ids of survey_items.csv, question ids of survey_demographics.csv "
                "or keys of survey.screening_columns",
            )
        )
    for col in ("export_tag", "item_id"):
        dup = df[col].duplicated(keep=False)
        if dup.any():
            problems.append(
                _flag(
                    file,
                    f"survey wave '{wave}': {col} listed more than once",
                    df,
                    dup,
                    col,
                    "map each export tag to one column, and each column from one tag",
                )
            )
    if problems:
        raise combine(problems)
    return dict(zip(df["export_tag"], df["item_id"], strict=True))


def read_export(
    path: Path | str, wave: str, wanted: list[str], columns_file: Path | str | None = None
) -> Export:
    """Read a legacy CSV export; keep ``wanted`` columns (after mapping) and the id.

    The id column is returned as ``respondent_id``. Columns in ``wanted`` that
    the export lacks are left out here; the caller reports them with the others.
    """
    p = Path(path)
    file = rel(p)
    header = _header_rows(p)
    if len(header) < HEADER_ROWS or not header[2] or not header[2][0].lstrip().startswith("{"):
        raise InputError(
            file,
            f"survey wave '{wave}': not a survey-platform export with three header rows "
            "(names, question texts, import ids)",
            rows=[3],
            fix="export the responses as CSV with 'choice text' answers in the legacy format, "
            "or set the wave's format to plain",
        )
    mapping = _mapping(columns_file, wanted, wave)
    names = header[0]
    missing_tags = [t for t in mapping if t not in names]
    if missing_tags:
        raise header_error(
            file,
            f"survey wave '{wave}': export tag(s) of the mapping file not in the export",
            missing_tags,
            f"correct the export_tag in {rel(Path(columns_file))} or export those questions",
        )
    required = [ID_TAG, STATUS_TAG, FINISHED_TAG]
    missing = [c for c in required if c not in names]
    if missing:
        raise header_error(
            file,
            f"survey wave '{wave}': required platform column(s) missing",
            missing,
            "export the survey's metadata fields (ResponseId, Status, Finished)",
        )
    rename = {tag: col for tag, col in mapping.items()}
    keep_from = {}  # export column -> plain column
    for name in names:
        target = rename.get(name, name)
        if name == ID_TAG:
            keep_from[name] = "respondent_id"
        elif name in (STATUS_TAG, FINISHED_TAG) or (target in wanted and not is_personal(name)):
            keep_from[name] = target
    dup_targets = [t for t in set(keep_from.values()) if list(keep_from.values()).count(t) > 1]
    if dup_targets:
        raise InputError(
            file,
            f"survey wave '{wave}': two export columns give the same column",
            column=", ".join(sorted(dup_targets)),
            fix="drop one of them from the mapping file or from the export",
        )
    # usecols drops the personal and unused columns inside the parser.
    df = pd.read_csv(
        p,
        encoding="utf-8-sig",
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skiprows=[1, 2],
        usecols=list(keep_from),
    ).rename(columns=keep_from)
    df = df.apply(lambda c: c.str.strip())
    status = df[STATUS_TAG]
    finished = df[FINISHED_TAG].str.lower().map(FINISHED)
    bad = finished.isna()
    if bad.any():
        raise InputError(
            file,
            f"survey wave '{wave}': Finished must be True/False (or 1/0)",
            column=FINISHED_TAG,
            rows=(df.index[bad] + HEADER_ROWS + 1).tolist(),
            values=sorted(set(df.loc[bad, FINISHED_TAG])),
            fix="export the Finished field as exported by the platform",
        )
    preview = status.isin(NOT_RESPONSES)
    unfinished = ~preview & ~finished.astype(bool)
    kept = df[~preview & ~unfinished].drop(columns=[STATUS_TAG, FINISHED_TAG])
    dropped = [n for n in names if n not in keep_from]
    return Export(kept, int(preview.sum()), int(unfinished.sum()), dropped)


def add_verdicts(
    frame: pd.DataFrame, path: Path | str, wave: str, columns: list[str]
) -> pd.DataFrame:
    """Fill screening columns (e.g. description_verdict) from the wave's ``verdicts`` file."""
    file = rel(Path(path))
    v = read_csv_text(path, required=["respondent_id"])
    v = v.apply(lambda c: c.str.strip())
    given = [c for c in v.columns if c in columns]
    other = [c for c in v.columns if c != "respondent_id" and c not in columns]
    problems = []
    if not given or other:
        problems.append(
            InputError(
                file,
                f"survey wave '{wave}': verdict columns must be screening columns",
                column=", ".join(other) or None,
                fix=f"use respondent_id and some of: {', '.join(columns)}",
            )
        )
    dup = v["respondent_id"].duplicated(keep=False)
    if dup.any():
        problems.append(
            _flag(
                file,
                f"survey wave '{wave}': respondent given two verdicts",
                v,
                dup,
                "respondent_id",
                "keep one row per respondent",
            )
        )
    unknown = ~v["respondent_id"].isin(frame["respondent_id"])
    if unknown.any():
        problems.append(
            _flag(
                file,
                f"survey wave '{wave}': verdict(s) for respondents not in the export "
                "(or excluded as preview, spam or unfinished)",
                v,
                unknown,
                "respondent_id",
                "give verdicts only for the export's finished responses (its ResponseId)",
            )
        )
    if problems:
        raise combine(problems)
    out = frame.drop(columns=[c for c in given if c in frame.columns])
    # A respondent without a verdict gets an empty cell, which the label check reports.
    merged = out.reset_index().merge(v[["respondent_id", *given]], on="respondent_id", how="left")
    merged = merged.set_index("index").rename_axis(None)
    merged[given] = merged[given].fillna("")
    return merged
