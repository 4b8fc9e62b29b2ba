"""Qualtrics response exports (``format: qualtrics``), in each layout Qualtrics writes.

Layouts, named as Qualtrics and the qualtRics R package name them:

- the current export ("Data Table" CSV/TSV): three header rows (export tags,
  question texts, ``{"ImportId": ...}``), id column ``ResponseId``;
- the 2016 ("Insights"-era) export: three header rows, the third in
  single-quoted ``{'ImportId': ...}`` style, id column ``ResponseID``;
- the legacy export (Qualtrics' "legacy exporter", qualtRics' ``legacy = TRUE``):
  two header rows, ``V1..V10`` for the metadata in the first and their labels
  (``ResponseID``, ``Status``, ``Finished``) in the second.

Each can hold choice texts or numeric values. In a numeric export ``Status`` and
``Finished`` are codes, read with Qualtrics' code list; answers are the scale's
positions unless the wave's ``values:`` CSV maps them. TSV exports (UTF-16 with
a BOM) are read like CSV.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.paths import rel
from downstream_safety.survey.platforms.common import (
    ID_COLUMN,
    Export,
    Wanted,
    all_labels,
    decode_codes,
    decode_text,
    frame_of,
    header_error,
    no_layout,
    read_mapping,
    read_rows,
    read_values,
    select,
    wave_problem,
)
from downstream_safety.survey.platforms.detect import looks_like

log = logging.getLogger(__name__)

ID_TAGS = ("ResponseId", "ResponseID")
STATUS_TAG = "Status"
FINISHED_TAG = "Finished"
# Qualtrics' Status ("Response Type") codes of a numeric export, as Qualtrics labels
# them in its SPSS export's value labels (and as the qualtRics R package maps them).
STATUS_CODES = {
    "0": "IP Address",  # a normal response
    "1": "Survey Preview",
    "2": "Survey Test",
    "4": "Imported",
    "8": "Spam",
    "9": "Survey Preview Spam",
    "12": "Imported Spam",
    "16": "Offline",
    "17": "Offline Survey Preview",
}
RESPONSES = ("IP Address", "Imported", "Offline")  # the other statuses are not responses
FINISHED = {"true": True, "1": True, "false": False, "0": False}
_V = re.compile(r"V\d+")


def layout_of(rows: list[tuple[int, list[str]]]) -> tuple[str, int, list[str]] | None:
    """(layout name, header rows, column names) or None when not a Qualtrics export."""
    if not rows:
        return None
    first = [c.strip() for c in rows[0][1]]
    if len(rows) >= 2 and first and _V.fullmatch(first[0]):
        second = [c.strip() for c in rows[1][1]]
        if "ResponseID" in second:
            names = [
                second[i] if _V.fullmatch(n) and i < len(second) else n for i, n in enumerate(first)
            ]
            return "legacy export (two header rows, V1..V10)", 2, names
    if len(rows) >= 3 and rows[2][1] and rows[2][1][0].strip().startswith("{"):
        if rows[2][1][0].strip().startswith("{'"):
            return "2016 export (three header rows, single-quoted import ids)", 3, first
        return "current export (three header rows)", 3, first
    return None


def status_kind(file: str, wave: str, df: pd.DataFrame, numeric: bool) -> pd.Series:
    """Each row's Status as Qualtrics' label; an unknown status stops the run."""
    status = df[STATUS_TAG].map(STATUS_CODES) if numeric else df[STATUS_TAG]
    known = set(STATUS_CODES.values())
    bad = status.isna() | ~status.isin(known)
    if bad.any():
        listed = (
            "; ".join(f"{c} = {s}" for c, s in STATUS_CODES.items())
            if numeric
            else "; ".join(sorted(known))
        )
        raise InputError(
            file,
            wave_problem(wave, "unknown Status value(s)" + (" (numeric codes)" if numeric else "")),
            column=STATUS_TAG,
            rows=df.index[bad].tolist(),
            values=sorted(set(df.loc[bad, STATUS_TAG])),
            fix=f"export the Status field as Qualtrics writes it; known values: {listed}",
        )
    return status


def finished_flags(file: str, wave: str, df: pd.DataFrame) -> pd.Series:
    finished = df[FINISHED_TAG].str.lower().map(FINISHED)
    bad = finished.isna()
    if bad.any():
        raise InputError(
            file,
            wave_problem(wave, "Finished must be True/False (or 1/0 in a numeric export)"),
            column=FINISHED_TAG,
            rows=df.index[bad].tolist(),
            values=sorted(set(df.loc[bad, FINISHED_TAG])),
            fix="export the Finished field as exported by the platform",
        )
    return finished.astype(bool)


def read(
    path: Path,
    wave: str,
    wanted: Wanted,
    columns_file: Path | str | None = None,
    values_file: Path | str | None = None,
) -> Export:
    file = rel(path)
    if path.exists() and looks_like(path) == "an SPSS .sav file":
        raise no_layout(file, wave, "a Qualtrics export", "an SPSS .sav file", "", "")
    text, encoding = decode_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    rows = read_rows(text, delimiter)
    found = layout_of(rows)
    if found is None:
        raise no_layout(
            file,
            wave,
            "a Qualtrics export",
            looks_like(path),
            "a Qualtrics export (current or 2016 layout with three header rows, or the legacy "
            "layout with V1..V10 and a label row)",
            "export the responses from Qualtrics as CSV or TSV (Data & Analysis > Export), "
            "or set the wave's format to plain",
        )
    layout, n_header, names = found
    mapping = read_mapping(columns_file, wanted, wave)
    values = read_values(values_file, wanted, wave)
    id_tag = next((t for t in ID_TAGS if t in names), None)
    missing = [c for c in (STATUS_TAG, FINISHED_TAG) if c not in names]
    if id_tag is None or missing:
        raise header_error(
            file,
            wave_problem(wave, f"required Qualtrics column(s) missing from the {layout}"),
            ([] if id_tag else ["ResponseId (ResponseID in 2016 and legacy exports)"]) + missing,
            "export the survey's metadata fields (response id, Status, Finished)",
            rows[0][0],
        )
    meta = {id_tag: ID_COLUMN, STATUS_TAG: STATUS_TAG, FINISHED_TAG: FINISHED_TAG}
    keep = select(names, mapping, wanted, meta, file, wave)
    df = frame_of(rows[n_header:], keep)
    numeric = bool(len(df)) and df[STATUS_TAG].map(lambda s: s.isdigit()).all()
    status = status_kind(file, wave, df, numeric)
    finished = finished_flags(file, wave, df)
    preview = ~status.isin(RESPONSES)
    unfinished = ~preview & ~finished
    kept = df[~preview & ~unfinished].drop(columns=[STATUS_TAG, FINISHED_TAG])
    kind = "numeric values" if numeric else "choice text"
    if numeric:
        kept = decode_codes(
            kept,
            wanted,
            values,
            file=file,
            wave=wave,
            what="this is a numeric export (Status is a code)",
        )
    elif values and not all_labels(kept, wanted):
        kept = decode_codes(kept, wanted, values, file=file, wave=wave, what="answers are codes")
    where = "TSV" if delimiter == "\t" else "CSV"
    desc = f"Qualtrics {layout}, {where} in {encoding.upper()}, {kind}"
    log.info("survey wave '%s' (%s): %s", wave, file, desc)
    dropped = [n for i, n in enumerate(names) if i not in keep]
    return Export(kept, int(preview.sum()), int(unfinished.sum()), dropped, desc)
