"""SPSS ``.sav`` files (``format: spss``), as Qualtrics and LimeSurvey write them.

Read with pyreadstat (the maintained reader of SPSS system files). Value labels
give the answer texts; the wave's ``values:`` CSV overrides them, and a numeric
column without labels holds the scale's positions. Status and Finished (a
Qualtrics file) or submitdate (a LimeSurvey file) find the previews and the
unfinished responses; a file with a ``respondent_id`` column is a plain wave
saved by SPSS. SPSS case ``n`` is reported as row ``n + 1``, as in its CSV.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pyreadstat

from downstream_safety.common.errors import InputError
from downstream_safety.paths import rel
from downstream_safety.survey.platforms import qualtrics
from downstream_safety.survey.platforms.common import (
    ID_COLUMN,
    Export,
    Wanted,
    code_text,
    decode_codes,
    header_error,
    no_layout,
    read_mapping,
    read_values,
    select,
    wave_problem,
)
from downstream_safety.survey.platforms.detect import SPSS_MAGIC, looks_like

log = logging.getLogger(__name__)

# (layout, id column, metadata columns) in the order they are tried.
LAYOUTS = (
    ("Qualtrics SPSS export", "ResponseId", ("Status", "Finished")),
    ("Qualtrics SPSS export", "ResponseID", ("Status", "Finished")),
    ("LimeSurvey SPSS export", "id", ("submitdate",)),
    ("plain wave saved as SPSS", ID_COLUMN, ()),
)


def read(
    path: Path,
    wave: str,
    wanted: Wanted,
    columns_file: Path | str | None = None,
    values_file: Path | str | None = None,
) -> Export:
    file = rel(path)
    if not path.exists() or path.read_bytes()[:4] not in SPSS_MAGIC:
        raise no_layout(
            file,
            wave,
            "an SPSS .sav file",
            looks_like(path) if path.exists() else None,
            "an SPSS .sav file",
            "save the data as an SPSS .sav file, or set the "
            "wave's format to the platform that wrote the file",
        )
    try:
        _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
    except pyreadstat.ReadstatError as exc:
        raise InputError(
            file,
            wave_problem(wave, f"SPSS file cannot be read ({exc})"),
            fix="save the file again from SPSS or the survey platform",
        ) from None
    names = list(meta.column_names)
    layout = next(((n, i, m) for n, i, m in LAYOUTS if i in names and set(m) <= set(names)), None)
    if layout is None:
        raise header_error(
            file,
            wave_problem(wave, "SPSS file without a response id and status variables"),
            [
                "ResponseId, Status, Finished (Qualtrics) or id, submitdate (LimeSurvey) or "
                "respondent_id"
            ],
            "export the platform's metadata variables with the responses",
        )
    name, id_var, meta_vars = layout
    mapping = read_mapping(columns_file, wanted, wave)
    values = read_values(values_file, wanted, wave)
    keep = select(
        names, mapping, wanted, {id_var: ID_COLUMN, **{m: m for m in meta_vars}}, file, wave
    )
    # usecols: only the allowed variables are read from the file at all.
    df, meta = pyreadstat.read_sav(str(path), usecols=[names[i] for i in keep])
    df = df.rename(columns={names[i]: t for i, t in keep.items()})
    df.index = range(2, len(df) + 2)
    labels = {
        keep_name: meta.variable_value_labels.get(orig, {})
        for orig, keep_name in ((names[i], t) for i, t in keep.items())
    }
    text = pd.DataFrame({c: df[c].map(code_text) for c in df.columns}, index=df.index, dtype=str)
    # Status, Finished: their value labels, else Qualtrics' code list.
    for m in meta_vars:
        if m != "submitdate" and labels.get(m):
            lab = {code_text(k): str(v) for k, v in labels[m].items()}
            text[m] = text[m].map(lambda v, lab=lab: lab.get(v, v))
    preview = pd.Series(False, index=text.index)
    unfinished = pd.Series(False, index=text.index)
    if "Status" in meta_vars:
        numeric = text["Status"].map(str.isdigit).all()
        status = qualtrics.status_kind(file, wave, text, bool(numeric))
        finished = qualtrics.finished_flags(file, wave, text)
        preview = ~status.isin(qualtrics.RESPONSES)
        unfinished = ~preview & ~finished
    elif "submitdate" in meta_vars:
        unfinished = text["submitdate"] == ""
    kept = text[~preview & ~unfinished].drop(columns=list(meta_vars))
    # Answers: values: first, then the variable's value labels, then scale positions.
    # A string variable without value labels holds the answer texts themselves.
    types = meta.readstat_variable_types
    coded = {}
    for i, col in keep.items():
        if col in values or col not in wanted.columns:
            continue
        if labels.get(col):
            coded[col] = {code_text(k): str(v) for k, v in labels[col].items()}
        elif types.get(names[i]) == "string":
            coded[col] = {lab: lab for lab in wanted.accepted[col]}
    kept = decode_codes(
        kept,
        wanted,
        {**coded, **values},
        file=file,
        wave=wave,
        what="SPSS values are codes (value labels or the values CSV give their meaning)",
    )
    log.info("survey wave '%s' (%s): %s", wave, file, name)
    dropped = [n for i, n in enumerate(names) if i not in keep]
    return Export(kept, int(preview.sum()), int(unfinished.sum()), dropped, name)
