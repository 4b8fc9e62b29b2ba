"""The two assumptions a published claim may need, checked rather than trusted.

``missing_answers=<k>``: a published mean or share that the complete
reconstructed answers cannot give (GRIM) may still follow if k answers of the
item were missing. The check drops every possible k answers from the actual
answer counts and asks whether any result prints as the published value.

``one_of=<group>``: shares of one question that cannot all hold at the
paper's stated n (they need more respondents than there are). Any one of them
can be the one that misses; which one does is a choice of the reconstruction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

from downstream_safety.common import number_keys
from downstream_safety.paper.precision import parse_published

SHARE_PREFIXES = ("pct_top2", "pct_lowest", "pct_bottom2")


def parse(assumption: str) -> tuple[str, str]:
    """'missing_answers=1' -> ('missing_answers', '1'); '' -> ('', '')."""
    kind, _, arg = assumption.partition("=")
    return kind, arg


def item_of(key: str) -> tuple[str, str] | None:
    """(statistic, item id) of a survey item key such as ``mean__imp_x``; None otherwise."""
    prefix, _, item = key.partition("__")
    if item and (prefix == "mean" or prefix in SHARE_PREFIXES):
        return prefix, item
    return None


def _dropped_sums(counts: Mapping[int, int], k: int) -> set[int]:
    """Every sum of k answers that can be removed from the answer counts."""
    reach = {(0, 0)}  # (answers removed, their sum)
    for level, count in sorted(counts.items()):
        reach = {(m + j, s + j * level) for m, s in reach for j in range(min(count, k - m) + 1)}
    return {s for m, s in reach if m == k}


def values_without(
    key: str, k: int, values: Mapping[str, float], answers: Mapping[str, Mapping[int, int]]
) -> list[Fraction]:
    """Every value the quantity ``key`` takes once k of its answers are removed.

    Means need the item's answer counts per level (``answers``); a share needs
    only its count and n, since a removed answer is either in the share or not.
    """
    stat, item = item_of(key) or ("", "")
    if stat == "mean":
        counts = {int(lv): int(c) for lv, c in answers[item].items() if int(c) > 0}
        n, total = sum(counts.values()), sum(lv * c for lv, c in counts.items())
        if n - k < 1:
            return []
        return sorted({Fraction(total - d, n - k) for d in _dropped_sums(counts, k)})
    n = int(values[number_keys.key("n_valid", item)])
    inside = round(values[key] * n / 100)
    if n - k < 1:
        return []
    lo, hi = max(0, k - (n - inside)), min(k, inside)
    return sorted({Fraction(100 * (inside - j), n - k) for j in range(lo, hi + 1)})


def prints_as(published: str, value: Fraction) -> bool:
    """Does ``value`` round (half up) to the printed ``published``?"""
    p = parse_published(published)
    if p is None or p.comparator:
        return False
    half = Fraction(1, 2 * 10**p.decimals)
    target = Fraction(p.value)
    return target - half <= value < target + half


def respondents_needed(published: list[str], n: int) -> int:
    """Fewest respondents whose counts print as every one of the published shares of n.

    Each share needs the smallest count k with k / n printing as it; a share
    that no count of n gives counts as n + 1 (it alone is impossible).
    """
    need = 0
    for text in published:
        p = parse_published(text)
        half = Fraction(1, 2 * 10**p.decimals)
        first = math.ceil((Fraction(p.value) - half) * n / 100)
        k = next(
            (c for c in range(max(first, 0), n + 1) if prints_as(text, Fraction(100 * c, n))),
            n + 1,
        )
        need += k
    return need
