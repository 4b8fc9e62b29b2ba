"""Which platform a file looks like, so a wave configured as another is refused by name."""

from __future__ import annotations

import re
from pathlib import Path

from downstream_safety.common.errors import InputError
from downstream_safety.survey.platforms.common import decode_text, delimiter_of, read_rows

SPSS_MAGIC = (b"$FL2", b"$FL3")  # the first bytes of every .sav (and compressed .zsav) file
_V = re.compile(r"V\d+")


def limesurvey_code(cell: str) -> str:
    """``code. question text`` -> ``code`` (LimeSurvey's 'question code & text' headings)."""
    cell = cell.strip()
    head, sep, _ = cell.partition(". ")
    return head if sep and " " not in head else cell


def looks_like(path: Path) -> str | None:
    """'a Qualtrics export', 'a LimeSurvey response export', 'an SPSS .sav file',
    'a plain wave' or None."""
    try:
        if path.read_bytes()[:4] in SPSS_MAGIC:
            return "an SPSS .sav file"
        text, _ = decode_text(path)
    except (InputError, OSError):
        return None
    first = text.split("\n", 1)[0]
    rows = [r for _, r in read_rows(text, delimiter_of(first))[:3]]
    if not rows:
        return None
    names = [c.strip() for c in rows[0]]
    second = [c.strip() for c in rows[1]] if len(rows) > 1 else []
    third = rows[2][0].strip() if len(rows) > 2 and rows[2] else ""
    if {"ResponseId", "ResponseID"} & set(names) and third.startswith("{"):
        return "a Qualtrics export"
    if names and _V.fullmatch(names[0]) and "ResponseID" in second:
        return "a Qualtrics export"
    codes = {limesurvey_code(c) for c in names}
    if {"id", "submitdate"} <= codes or {"lastpage", "startlanguage"} <= codes:
        return "a LimeSurvey response export"
    if "respondent_id" in names:
        return "a plain wave"
    return None
