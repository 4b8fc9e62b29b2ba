"""LimeSurvey response exports (``format: limesurvey``).

LimeSurvey's "Export results" writes one header row, with question codes or
``code. question text`` headings, and answers as codes (``Y``/``N``, ``A1``..)
or full answer texts, separated by semicolons or commas. The response id is
``id``; an incomplete response has an empty ``submitdate``. LimeSurvey marks no
previews in its response table, so none are counted.
"""

from __future__ import annotations

import logging
from pathlib import Path

from downstream_safety.paths import rel
from downstream_safety.survey.platforms.common import (
    ID_COLUMN,
    Export,
    Wanted,
    all_labels,
    decode_codes,
    decode_text,
    delimiter_of,
    frame_of,
    header_error,
    no_layout,
    read_mapping,
    read_rows,
    read_values,
    select,
    wave_problem,
)
from downstream_safety.survey.platforms.detect import limesurvey_code, looks_like

log = logging.getLogger(__name__)

ID_TAG = "id"
SUBMITTED = "submitdate"
# LimeSurvey's full-text headings of its metadata columns.
FULL_HEADINGS = {"Response ID": ID_TAG, "Date submitted": SUBMITTED}


def read(
    path: Path,
    wave: str,
    wanted: Wanted,
    columns_file: Path | str | None = None,
    values_file: Path | str | None = None,
) -> Export:
    file = rel(path)
    found = looks_like(path)
    if found != "a LimeSurvey response export":
        raise no_layout(
            file,
            wave,
            "a LimeSurvey response export",
            found,
            "a LimeSurvey response export (one header row with the id and submitdate columns)",
            "export the responses from LimeSurvey (Responses > Export) as CSV with question "
            "codes as headings, or set the wave's format to plain",
        )
    text, encoding = decode_text(path)
    delimiter = delimiter_of(text.split("\n", 1)[0], ";,\t")
    rows = read_rows(text, delimiter)
    names = [FULL_HEADINGS.get(c.strip(), limesurvey_code(c)) for c in rows[0][1]]
    missing = [c for c in (ID_TAG, SUBMITTED) if c not in names]
    if missing:
        raise header_error(
            file,
            wave_problem(wave, "required LimeSurvey column(s) missing"),
            missing,
            "export the response id and submitdate columns too",
        )
    mapping = read_mapping(columns_file, wanted, wave)
    values = read_values(values_file, wanted, wave)
    keep = select(names, mapping, wanted, {ID_TAG: ID_COLUMN, SUBMITTED: SUBMITTED}, file, wave)
    df = frame_of(rows[1:], keep)
    unfinished = df[SUBMITTED] == ""
    kept = df[~unfinished].drop(columns=[SUBMITTED])
    texts = not values and all_labels(kept, wanted)
    if not texts:
        kept = decode_codes(
            kept,
            wanted,
            values,
            file=file,
            wave=wave,
            what="this LimeSurvey export gives answer codes",
        )
    headings = "code. text" if any(". " in c for c in rows[0][1]) else "codes"
    sep = {";": "semicolon", ",": "comma", "\t": "tab"}[delimiter]
    desc = (
        f"LimeSurvey response export, {sep}-separated, {encoding.upper()}, headings as "
        f"{headings}, answers as {'full texts' if texts else 'codes'}"
    )
    log.info("survey wave '%s' (%s): %s", wave, file, desc)
    dropped = [n for i, n in enumerate(names) if i not in keep]
    return Export(kept, 0, int(unfinished.sum()), dropped, desc)
