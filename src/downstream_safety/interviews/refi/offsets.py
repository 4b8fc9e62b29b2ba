"""Offset conventions of ``startPosition``/``endPosition``.

The REFI-QDA standard counts Unicode code points (exclusive end). NVivo (for
Windows and for Mac) counts UTF-16 code units over the source text as stored:
a CRLF is two units, a character outside the Basic Multilingual Plane (an
emoji) is two, and the BOM at the start of the text file is not counted. Both
conventions count the text as stored: line ends are never normalised.

``interviews.offsets`` chooses: ``auto`` (from the project's ``origin``),
``codepoints`` or ``utf16``. Whatever was chosen, the passages are checked:
coders select whole words, so when more than a tenth of the selections start
or end inside a word under the chosen convention, the reader stops, and says
whether the other convention fits (at most a tenth cut, none outside). In the
real projects tested none of the selections cut a word under the right
convention; under the wrong one the share was 37 of 97 (NVivo, emoji early in
the text) or more.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

CONVENTIONS = ("auto", "codepoints", "utf16")
UTF16_ORIGINS = ("nvivo",)
FITS = 0.1  # a convention fits when at most this share of selections cuts a word


def from_origin(origin: str, setting: str = "auto") -> str:
    """The convention to use: the setting, or under ``auto`` the writing tool's."""
    if setting != "auto":
        return setting
    low = (origin or "").casefold()
    return (
        "utf16"
        if any(low.startswith(o) or f" {o}" in low for o in UTF16_ORIGINS)
        else ("codepoints")
    )


def other(convention: str) -> str:
    return "codepoints" if convention == "utf16" else "utf16"


@dataclass
class Text:
    """A source text with what is needed to turn UTF-16 offsets into code points."""

    text: str
    wide: list[int]  # UTF-16 offset of each character outside the BMP, ascending
    units: int  # length in UTF-16 code units

    @classmethod
    def of(cls, text: str) -> Text:
        wide, u = [], 0
        for ch in text:
            if ord(ch) > 0xFFFF:
                wide.append(u)
                u += 2
            else:
                u += 1
        return cls(text, wide, u)

    def length(self, convention: str) -> int:
        return self.units if convention == "utf16" else len(self.text)

    def index(self, offset: int, convention: str) -> int | None:
        """The code-point index of an offset, or None when it falls inside a character
        (between the two halves of a surrogate pair)."""
        if convention != "utf16" or not self.wide:
            return offset
        k = bisect_left(self.wide, offset)  # wide characters starting before offset
        if k and self.wide[k - 1] + 1 == offset:
            return None
        return offset - k

    def span(self, start: int, end: int, convention: str) -> tuple[int, int] | str:
        """Code-point slice of a selection, or the reason it does not fit."""
        n = self.length(convention)
        if not (0 <= start < end <= n):
            unit = "UTF-16 units" if convention == "utf16" else "characters"
            return f"offsets {start}-{end} fall outside its source ({n} {unit})"
        a, b = self.index(start, convention), self.index(end, convention)
        if a is None or b is None:
            return f"offsets {start}-{end} fall inside a character (half of a UTF-16 pair)"
        return a, b


def cuts_word(text: str, a: int, b: int) -> bool:
    """The passage text[a:b] starts or ends inside a word."""
    starts = 0 < a < len(text) and text[a - 1].isalnum() and text[a].isalnum()
    ends = 0 < b < len(text) and text[b - 1].isalnum() and text[b].isalnum()
    return starts or ends


def measure(items: list[tuple[Text, int, int]], convention: str) -> tuple[int, int]:
    """(selections outside their source or inside a character, selections cutting a word)."""
    bad = cut = 0
    for t, start, end in items:
        sp = t.span(start, end, convention)
        if isinstance(sp, str):
            bad += 1
        elif cuts_word(t.text, *sp):
            cut += 1
    return bad, cut


def verdict(items: list[tuple[Text, int, int]], chosen: str) -> tuple[str, bool] | None:
    """Why the chosen convention is wrong for these selections (and whether the other
    convention fits), or None."""
    if not items:
        return None
    n = len(items)
    bad, cut = measure(items, chosen)
    obad, ocut = measure(items, other(chosen))
    other_fits = obad == 0 and ocut <= FITS * n
    share = f"{cut} of {n} selections start or end inside a word"
    if cut > FITS * n:
        if other_fits:
            return f"under {chosen} offsets {share}; under {other(chosen)} offsets {ocut} do", True
        return (
            f"under {chosen} offsets {share}, and {other(chosen)} offsets do not fit either "
            f"({ocut} cut a word, {obad} fall outside their source)",
            False,
        )
    return None
