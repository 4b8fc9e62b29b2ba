"""Likert item statistics and the paired Wilcoxon comparisons of practices.

Inputs are integer codes (1..k) with NaN for a missing answer ("I do not
know", "Does not apply", empty cell); missing answers are counted but never
enter a statistic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# scipy and statsmodels are imported where used: jobs that only screen or
# summarise answers do not pay for them.
from downstream_safety.instruments.design import Scale


def item_summary(codes: pd.Series, scale: Scale) -> dict[str, float]:
    """n answered, n missing, mean code, % in the scale's two highest levels, % in level 1."""
    answered = codes.dropna().astype(int)
    n = len(answered)
    out = {"n_valid": n, "n_missing": int(codes.isna().sum())}
    if n == 0:
        out.update(mean=np.nan, pct_top2=np.nan, pct_lowest=np.nan)
        return out
    out["mean"] = float(answered.mean())
    out["pct_top2"] = 100.0 * float(answered.isin(scale.top2).sum()) / n
    out["pct_lowest"] = 100.0 * float((answered == 1).sum()) / n
    return out


def level_counts(codes: pd.Series, n_levels: int) -> list[int]:
    """Answers per level 1..k (missing answers excluded)."""
    answered = codes.dropna().astype(int)
    return [int((answered == level).sum()) for level in range(1, n_levels + 1)]


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


def cohen_d(a: np.ndarray, b: np.ndarray) -> float:
    """(mean_a - mean_b) / sqrt((sd_a^2 + sd_b^2) / 2), sample SDs of the paired values."""
    if len(a) < 2:
        return np.nan
    pooled = np.sqrt((np.var(a, ddof=1) + np.var(b, ddof=1)) / 2.0)
    return float((a.mean() - b.mean()) / pooled) if pooled > 0 else np.nan


def rank_biserial(a: np.ndarray, b: np.ndarray, zero_method: str = "wilcox") -> float:
    """Matched-pairs rank-biserial correlation (Kerby 2014): (R+ - R-) / (R+ + R-).

    scipy has no function for it; zero differences are handled as in the test
    (dropped for "wilcox", ranked and then ignored for "pratt", split for "zsplit").
    """
    d = np.asarray(a, float) - np.asarray(b, float)
    if zero_method == "wilcox":
        d = d[d != 0]
    if len(d) == 0:
        return np.nan
    from scipy import stats

    ranks = stats.rankdata(np.abs(d))
    r_plus = ranks[d > 0].sum()
    r_minus = ranks[d < 0].sum()
    if zero_method == "zsplit":
        r_zero = ranks[d == 0].sum()
        r_plus, r_minus = r_plus + r_zero / 2, r_minus + r_zero / 2
    total = r_plus + r_minus
    return float((r_plus - r_minus) / total) if total > 0 else np.nan


def paired_test(a: pd.Series, b: pd.Series, settings: WilcoxonSettings) -> dict[str, float]:
    """Wilcoxon signed-rank test of two items on respondents who answered both."""
    both = a.notna() & b.notna()
    x = a[both].to_numpy(float)
    y = b[both].to_numpy(float)
    n = len(x)
    out = {
        "n_pairs": n,
        "mean_a": float(x.mean()) if n else np.nan,
        "mean_b": float(y.mean()) if n else np.nan,
        "n_nonzero": int((x != y).sum()),
    }
    if n == 0 or not (x != y).any():
        # No non-zero difference: scipy cannot rank anything; nothing to test.
        out.update(p_value=np.nan, z=np.nan)
    else:
        from scipy import stats

        res = stats.wilcoxon(
            x,
            y,
            zero_method=settings.zero_method,
            correction=settings.correction,
            alternative=settings.alternative,
            method=settings.method,
        )
        out["p_value"] = float(res.pvalue)
        out["z"] = float(getattr(res, "zstatistic", np.nan))
    out["effect_size_d"] = cohen_d(x, y)
    out["effect_size_r"] = abs(out["z"]) / np.sqrt(n) if n and np.isfinite(out["z"]) else np.nan
    out["rank_biserial"] = rank_biserial(x, y, settings.zero_method)
    return out


def adjust_p(p: pd.Series, method: str) -> pd.Series:
    """Multiple-comparison adjustment over one family of tests (NaN kept out)."""
    out = pd.Series(np.nan, index=p.index, dtype=float)
    ok = p.notna()
    if method == "none" or not ok.any():
        out[ok] = p[ok]
        return out
    from statsmodels.stats.multitest import multipletests

    out[ok] = multipletests(p[ok].to_numpy(), method=method)[1]
    return out
