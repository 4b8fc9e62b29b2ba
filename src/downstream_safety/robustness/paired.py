"""Paired comparisons of one practice across two concern contexts, by any of
the tests a specification can choose."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

TESTS = ("wilcoxon", "ttest", "sign", "permutation")


def _mean_difference(x, y, axis=-1):
    return np.mean(x - y, axis=axis)


def paired_p(
    x: np.ndarray,
    y: np.ndarray,
    test: dict,
    *,
    alternative: str,
    rng: np.random.Generator | None = None,
    n_resamples: int = 9999,
) -> tuple[float, float]:
    """(statistic, p-value) of one paired test; NaN when no pair differs."""
    # Imported here: the jobs that only read conclusions, orders or the multiverse's
    # tables import this module without running a test (scipy.stats and statsmodels
    # cost about a second per job).
    from scipy import stats
    from statsmodels.stats.descriptivestats import sign_test

    if len(x) == 0 or not (x != y).any():
        return np.nan, np.nan
    kind = test["test"]
    with warnings.catch_warnings():
        # scipy warns that exact p-values with ties are approximate; the
        # specification asks for that computation on purpose.
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        if kind == "wilcoxon":
            res = stats.wilcoxon(
                x,
                y,
                zero_method=test.get("zero_method", "wilcox"),
                method=test.get("method", "approx"),
                correction=bool(test.get("correction", False)),
                alternative=alternative,
            )
            return float(res.statistic), float(res.pvalue)
        if kind == "ttest":
            res = stats.ttest_rel(x, y, alternative=alternative)
            return float(res.statistic), float(res.pvalue)
        if kind == "sign":
            if alternative != "two-sided":
                raise ValueError("the sign test is two-sided only (statsmodels sign_test)")
            m, p = sign_test(x - y, mu0=0)
            return float(m), float(p)
        if kind == "permutation":
            res = stats.permutation_test(
                (x, y),
                _mean_difference,
                permutation_type="samples",
                vectorized=True,
                n_resamples=n_resamples,
                alternative="two-sided" if alternative == "two-sided" else alternative,
                rng=rng,
            )
            return float(res.statistic), float(res.pvalue)
    raise ValueError(f"unknown test {kind!r}; use one of {', '.join(TESTS)}")


def pairs(
    df: pd.DataFrame, col_a: str, col_b: str, practice_columns: list[str], missing: str
) -> tuple[np.ndarray, np.ndarray]:
    """The paired answers kept by the missing-answer rule.

    ``pairwise``: respondents who answered both items; ``listwise``: respondents
    who answered every context item of the practice.
    """
    if missing == "pairwise":
        keep = df[[col_a, col_b]].notna().all(axis=1)
    elif missing == "listwise":
        keep = df[practice_columns].notna().all(axis=1)
    else:
        raise ValueError(f"unknown missing-answer rule {missing!r}; use pairwise or listwise")
    return df.loc[keep, col_a].to_numpy(float), df.loc[keep, col_b].to_numpy(float)
