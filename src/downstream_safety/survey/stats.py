"""The survey's statistics, written once and used by the survey and the
robustness stages: item mean, top-two and lowest-level shares, the practice
score, Cohen's d, the matched-pairs rank-biserial correlation, the signed
effect size r of the Wilcoxon test and the multiple-comparison adjustment.

Inputs are answer codes (1..k) with NaN for a missing answer ("I do not
know", "Does not apply", empty cell); missing answers are counted but never
enter a statistic. Every array function works along ``axis`` (default the
last) and over any leading axes, so the bootstrap evaluates it on a whole
block of resamples at once (rows = resamples) and the survey stage on one
sample (a 1-D array); both get the same numbers from the same code.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# scipy and statsmodels are imported where used: jobs that only screen or
# summarise answers do not pay for them.
from downstream_safety.instruments.design import Scale

ZERO_METHODS = ("wilcox", "pratt", "zsplit")


@dataclass(frozen=True)
class WilcoxonSettings:
    """Arguments of ``scipy.stats.wilcoxon`` plus the reporting choices."""

    alternative: str = "two-sided"
    zero_method: str = "wilcox"
    correction: bool = False
    method: str = "approx"
    alpha: float = 0.05
    p_adjust: str = "holm"

    @classmethod
    def from_config(cls, cfg: dict) -> WilcoxonSettings:
        return cls(**{k: cfg[k] for k in cls.__dataclass_fields__ if k in cfg})


# One item ----------------------------------------------------------------------


def _last(x, axis: int) -> np.ndarray:
    return np.moveaxis(np.asarray(x, float), axis, -1)


def mean(x, axis: int = -1):
    """Mean of the answered codes (NaN when nobody answered)."""
    x = _last(x, axis)
    answered = ~np.isnan(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(answered, x, 0.0).sum(axis=-1) / answered.sum(axis=-1)


def percent_where(x, condition, axis: int = -1):
    """100 x the share of answered codes for which ``condition(code)`` holds."""
    x = _last(x, axis)
    answered = ~np.isnan(x)
    hit = answered & condition(np.where(answered, x, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100.0 * hit.sum(axis=-1) / answered.sum(axis=-1)


def top2_codes(n_levels: int) -> tuple[int, int]:
    """Codes of a scale's two highest levels (what "top two" means on it)."""
    return (n_levels - 1, n_levels)


def pct_top2(x, n_levels: int, axis: int = -1):
    """% of answers in the scale's two highest levels."""
    low = top2_codes(n_levels)[0]
    return percent_where(x, lambda v: v >= low, axis)


def pct_lowest(x, axis: int = -1):
    """% of answers in level 1."""
    return percent_where(x, lambda v: v == 1, axis)


def practice_score(item_means: Sequence):
    """A practice's score: the unweighted mean of the means of the items measuring it
    (each item, usually one per concern context, weighs the same). Elementwise over
    resamples when each item mean is an array."""
    return np.mean(np.asarray(item_means, float), axis=0)


def item_summary(codes: pd.Series, scale: Scale) -> dict[str, float]:
    """n answered, n missing, mean code, % in the scale's two highest levels, % in level 1."""
    x = codes.to_numpy(float)
    n = int((~np.isnan(x)).sum())
    out = {"n_valid": n, "n_missing": int(codes.isna().sum())}
    if n == 0:
        out.update(mean=np.nan, pct_top2=np.nan, pct_lowest=np.nan)
        return out
    out["mean"] = float(mean(x))
    out["pct_top2"] = float(pct_top2(x, scale.n_levels))
    out["pct_lowest"] = float(pct_lowest(x))
    return out


def level_counts(codes: pd.Series, n_levels: int) -> list[int]:
    """Answers per level 1..k (missing answers excluded)."""
    answered = codes.dropna().astype(int)
    return [int((answered == level).sum()) for level in range(1, n_levels + 1)]


# Two items answered by the same respondents --------------------------------------


def _paired(x, y, axis: int):
    """Both arrays with the units last and a pair missing where either answer is."""
    x, y = _last(x, axis), _last(y, axis)
    missing = np.isnan(x) | np.isnan(y)
    return np.where(missing, np.nan, x), np.where(missing, np.nan, y), ~missing


def cohen_d(x, y, axis: int = -1):
    """(mean_x - mean_y) / sqrt((sd_x^2 + sd_y^2) / 2) over the pairs where both
    answers exist, with sample SDs (ddof 1); NaN below two pairs or with no spread."""
    x, y, both = _paired(x, y, axis)
    n = both.sum(axis=-1)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # nan* of a row without pairs
        pooled = np.sqrt((np.nanvar(x, axis=-1, ddof=1) + np.nanvar(y, axis=-1, ddof=1)) / 2.0)
        d = (np.nanmean(x, axis=-1) - np.nanmean(y, axis=-1)) / pooled
    return np.where((n >= 2) & (pooled > 0), d, np.nan)


def _rank_sums(x, y, zero_method: str, axis: int):
    """(R+, R-, n pairs) of the signed-rank test, zero differences treated as the test does:
    dropped before ranking ("wilcox"), ranked and then ignored ("pratt"), or ranked and
    split between both sums ("zsplit")."""
    if zero_method not in ZERO_METHODS:
        raise ValueError(f"unknown zero_method {zero_method!r}; use one of {ZERO_METHODS}")
    from scipy import stats as sps

    x, y, both = _paired(x, y, axis)
    d = x - y
    a = np.abs(d)
    if zero_method == "wilcox":
        a = np.where(d == 0, np.nan, a)
    ranks = sps.rankdata(a, axis=-1, nan_policy="omit")
    r_plus = np.where(d > 0, ranks, 0.0).sum(axis=-1)
    r_minus = np.where(d < 0, ranks, 0.0).sum(axis=-1)
    if zero_method == "zsplit":
        r_zero = np.where(d == 0, ranks, 0.0).sum(axis=-1)
        r_plus, r_minus = r_plus + r_zero / 2, r_minus + r_zero / 2
    return r_plus, r_minus, both.sum(axis=-1)


def rank_biserial(x, y, zero_method: str = "wilcox", axis: int = -1):
    """Matched-pairs rank-biserial correlation (Kerby 2014): (R+ - R-) / (R+ + R-).

    scipy has no function for it; zero differences are handled as in the test.
    """
    r_plus, r_minus, _ = _rank_sums(x, y, zero_method, axis)
    total = r_plus + r_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (r_plus - r_minus) / total, np.nan)


def wilcoxon_z(x, y, settings: WilcoxonSettings, axis: int = -1):
    """The normal-approximation statistic z of scipy's signed-rank test, with the sign
    of R+ - R- (positive when the first item is answered higher), and n pairs.

    scipy reports -|z| for a two-sided test, so the sign comes from the rank sums.
    With zero_method "wilcox" a missing pair enters as a zero difference, which the
    test drops, exactly as pairwise deletion does; the other zero methods rank zeros
    and so need complete pairs. Without a z (an exact p-value) the result is NaN.
    """
    from scipy import stats as sps

    x, y, both = _paired(x, y, axis)
    if settings.zero_method != "wilcox" and not both.all():
        raise ValueError(
            f"zero_method {settings.zero_method!r} needs complete pairs: a bug in the package"
        )
    r_plus, r_minus, n = _rank_sums(x, y, settings.zero_method, -1)
    d = np.where(both, x - y, 0.0)
    with warnings.catch_warnings():
        # A sample without a non-zero difference has no z (scipy warns, returns NaN).
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        res = sps.wilcoxon(
            d,
            axis=-1,
            zero_method=settings.zero_method,
            correction=settings.correction,
            alternative=settings.alternative,
            method=settings.method,
        )
    z = np.asarray(getattr(res, "zstatistic", np.full(np.shape(n), np.nan)), float)
    return np.sign(r_plus - r_minus) * np.abs(z), n


def signed_r(x, y, settings: WilcoxonSettings, axis: int = -1):
    """Effect size r of the signed-rank test with its direction: z / sqrt(n pairs), z signed
    as in :func:`wilcoxon_z`. The survey reports its magnitude |z| / sqrt(n)."""
    z, n = wilcoxon_z(x, y, settings, axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, z / np.sqrt(n), np.nan)


def paired_test(a: pd.Series, b: pd.Series, settings: WilcoxonSettings) -> dict[str, float]:
    """Wilcoxon signed-rank test of two items on respondents who answered both."""
    both = a.notna() & b.notna()
    x = a[both].to_numpy(float)
    y = b[both].to_numpy(float)
    n = len(x)
    out = {
        "n_pairs": n,
        "mean_a": float(mean(x)) if n else np.nan,
        "mean_b": float(mean(y)) if n else np.nan,
        "n_nonzero": int((x != y).sum()),
    }
    if n == 0 or not (x != y).any():
        # No non-zero difference: scipy cannot rank anything; nothing to test.
        out.update(p_value=np.nan, z=np.nan)
    else:
        from scipy import stats as sps

        res = sps.wilcoxon(
            x,
            y,
            zero_method=settings.zero_method,
            correction=settings.correction,
            alternative=settings.alternative,
            method=settings.method,
        )
        out["p_value"] = float(res.pvalue)
        out["z"] = float(getattr(res, "zstatistic", np.nan))
    out["effect_size_d"] = float(cohen_d(x, y))
    r = float(signed_r(x, y, settings)) if n and np.isfinite(out["z"]) else np.nan
    out["effect_size_r"] = abs(r)
    out["rank_biserial"] = float(rank_biserial(x, y, settings.zero_method))
    return out


def adjust_p(p, method: str) -> np.ndarray:
    """Multiple-comparison adjustment over one family of tests (statsmodels'
    ``multipletests``); NaN p-values stay NaN and out of the family; ``none``
    returns them unchanged."""
    p = np.asarray(p, float)
    out = p.copy()
    ok = ~np.isnan(p)
    if method == "none" or not ok.any():
        return out
    from statsmodels.stats.multitest import multipletests

    out[ok] = multipletests(p[ok], method=method)[1]
    return out
