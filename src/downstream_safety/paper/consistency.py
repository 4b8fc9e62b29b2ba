"""Consistency tests for printed statistics: GRIM, GRIMMER and a statcheck-style
recomputation of p from a z statistic.

GRIM and GRIMMER are written here because the maintained implementations live
in R (scrutiny, rsprite2); the PyPI ports are unmaintained. The arithmetic is
exact (``fractions.Fraction``) so that no floating-point edge decides a
verdict. Rounding follows scrutiny's default ``up_or_down``: a reported value
is consistent if the true value rounds to it either half-up or half-down,
i.e. it lies in the closed interval ``[x - h, x + h]`` with ``h`` half a unit
of the last printed decimal.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction


def _interval(reported: str) -> tuple[Fraction, Fraction, int]:
    """Closed interval of true values that print as ``reported``."""
    d = Decimal(reported.strip())
    decimals = max(0, -d.as_tuple().exponent)
    half = Fraction(1, 2 * 10**decimals)
    x = Fraction(d)
    return x - half, x + half, decimals


def grim_sums(reported_mean: str, n: int, items: int = 1) -> list[int]:
    """Integer sums S with S / (n * items) printing as ``reported_mean``."""
    lo, hi, _ = _interval(reported_mean)
    total = n * items
    first = math.ceil(lo * total)
    last = math.floor(hi * total)
    return list(range(first, last + 1))


def grim(reported_mean: str, n: int, items: int = 1) -> bool:
    """Can a mean of ``n`` respondents' integer answers (over ``items`` items) print as this?"""
    if n < 1 or items < 1:
        raise ValueError("n and items must be positive")
    return bool(grim_sums(reported_mean, n, items))


def grim_percent(reported_pct: str, n: int) -> bool:
    """Can k of n (an integer count) give this percentage?"""
    lo, hi, _ = _interval(reported_pct)
    first = max(0, math.ceil(lo * n / 100))
    last = min(n, math.floor(hi * n / 100))
    return first <= last


def grim_informative(reported: str, n: int, items: int = 1, *, percent: bool = False) -> bool:
    """GRIM can only fail when the grid 1/(n*items) is coarser than the printed unit."""
    _, _, decimals = _interval(reported)
    scale = 10 ** (decimals + (2 if percent else 0))
    return n * items < scale


def grimmer(reported_mean: str, reported_sd: str, n: int, items: int = 1) -> bool:
    """Can integer data of size ``n`` give this mean and (sample) SD?

    For each GRIM-consistent sum S, the sum of squares Q must be an integer in
    ``[(n-1) sd_lo^2 + S^2/n, (n-1) sd_hi^2 + S^2/n]`` and have the parity of S
    (x^2 and x are both odd or both even), as in Anaya's GRIMMER. Multi-item
    means are checked on the item-sum scale, where the data are integers.
    """
    if n < 2:
        raise ValueError("an SD needs n >= 2")
    sd_lo, sd_hi, _ = _interval(reported_sd)
    sd_lo = max(sd_lo, Fraction(0))
    k = items
    for s in grim_sums(reported_mean, n, items):
        # On the item-sum scale the mean is s / n and the SD is k * sd.
        q_lo = (n - 1) * (k * sd_lo) ** 2 + Fraction(s * s, n)
        q_hi = (n - 1) * (k * sd_hi) ** 2 + Fraction(s * s, n)
        q = math.ceil(q_lo)
        if q % 2 != s % 2:
            q += 1
        if q <= q_hi:
            return True
    return False


def p_from_z(z: float, alternative: str = "two-sided") -> float:
    """p-value of a standard-normal statistic (what statcheck does for Z)."""
    from scipy.stats import norm  # here, not at the top: most importers need no scipy

    if alternative == "two-sided":
        return float(2 * norm.sf(abs(z)))
    if alternative == "greater":
        return float(norm.sf(z))
    if alternative == "less":
        return float(norm.cdf(z))
    raise ValueError(f"unknown alternative {alternative!r}")


def p_matches(reported: str, recomputed: float) -> bool:
    """statcheck's error test: does the recomputed p print as the reported one?

    '<0.001' is matched by any recomputed p that is below the bound.
    """
    r = reported.strip()
    if r.startswith("<"):
        return recomputed < float(r[1:])
    lo, hi, _ = _interval(r)
    return lo <= Fraction(recomputed) <= hi


def decision_error(reported: str, recomputed: float, alpha: float) -> bool:
    """The reported and the recomputed p fall on opposite sides of alpha."""
    r = reported.strip()
    rep = float(r[1:]) if r.startswith("<") else float(r)
    return (rep < alpha) != (recomputed < alpha)
