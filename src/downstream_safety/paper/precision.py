"""Published values as strings, and computed values rendered at their precision.

Published numbers are kept as the strings the paper prints (scrutiny's rule):
"3.00" has two decimals and "3" none, which a float would forget. Computed
values are rounded half-up on their shortest decimal representation, the way
a spreadsheet or a person reading the unrounded value would round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

_NUMBER = re.compile(r"^(?P<cmp>[<>≥≤≈]\s*)?(?P<num>-?[0-9][0-9,]*(\.[0-9]+)?)$")
_WORDS = {"half": Decimal("0.5")}


@dataclass(frozen=True)
class Published:
    """A parsed published value: comparator ('' for equality), value, decimals."""

    comparator: str
    value: Decimal
    decimals: int


def parse_published(text: str) -> Published | None:
    """Parse '3.00', '2.55', '1,000', '> half', '≈1'; None if not a single number."""
    s = text.strip()
    m = _NUMBER.match(s)
    if m:
        num = m.group("num").replace(",", "")
        decimals = len(num.split(".")[1]) if "." in num else 0
        return Published((m.group("cmp") or "").strip(), Decimal(num), decimals)
    for word, value in _WORDS.items():
        w = re.match(rf"^(?P<cmp>[<>≥≤≈])\s*{word}$", s)
        if w:
            return Published(w.group("cmp"), value, len(str(value).split(".")[1]))
    return None


def round_half_up(value: float, decimals: int) -> Decimal:
    q = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP)


def render(value: float, decimals: int) -> str:
    """'3.04' for (3.0349..., 2); '-0' never appears."""
    out = round_half_up(value, decimals)
    if out == 0:
        out = abs(out)
    return f"{out:.{decimals}f}"


def render_p(p: float, decimals: int = 3) -> str:
    """p-values below the smallest printable value are shown as '<0.001'."""
    floor = Decimal(1).scaleb(-decimals)
    if round_half_up(p, decimals) < floor:
        return f"<{floor}"
    return render(p, decimals)
