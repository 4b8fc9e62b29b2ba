"""Each statistic on small hand-made inputs, against hand arithmetic or scipy called directly."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from downstream_safety.instruments.design import Scale
from downstream_safety.survey import stats
from downstream_safety.survey.stats import WilcoxonSettings

DEFAULT = WilcoxonSettings()


def _scale(k: int) -> Scale:
    return Scale(f"s{k}", tuple(f"level {i}" for i in range(1, k + 1)))


def test_item_summary_by_hand():
    codes = pd.Series([1, 2, 2, 5, np.nan, 4])
    out = stats.item_summary(codes, _scale(5))
    assert out["n_valid"] == 5
    assert out["n_missing"] == 1
    assert out["mean"] == pytest.approx(14 / 5)
    assert out["pct_top2"] == pytest.approx(40.0)  # 4 and 5: two of five
    assert out["pct_lowest"] == pytest.approx(20.0)


def test_item_summary_four_levels_top2_is_3_and_4():
    out = stats.item_summary(pd.Series([1, 2, 3, 4]), _scale(4))
    assert out["pct_top2"] == pytest.approx(50.0)
    assert out["mean"] == pytest.approx(2.5)


def test_item_summary_seven_levels_top2_is_6_and_7():
    # codes 7, 6, 5, 1, 1, 4 (+1 missing): mean 24/6 = 4; top two (6, 7): 2/6; lowest: 2/6
    out = stats.item_summary(pd.Series([7, 6, 5, 1, 1, 4, np.nan]), _scale(7))
    assert out["mean"] == pytest.approx(4.0)
    assert out["pct_top2"] == pytest.approx(100 / 3)
    assert out["pct_lowest"] == pytest.approx(100 / 3)
    assert stats.level_counts(pd.Series([7, 6, 5, 1, 1, 4, np.nan]), 7) == [2, 0, 0, 1, 1, 1, 1]


def test_item_summary_two_levels_top2_is_everything():
    out = stats.item_summary(pd.Series([1, 2, 2]), _scale(2))
    assert out["pct_top2"] == pytest.approx(100.0)
    assert out["pct_lowest"] == pytest.approx(100 / 3)


def test_item_summary_all_missing():
    out = stats.item_summary(pd.Series([np.nan, np.nan]), _scale(5))
    assert out["n_valid"] == 0 and out["n_missing"] == 2
    assert math.isnan(out["mean"])


def test_cohen_d_by_hand():
    # a: mean 3, var 1; b: mean 2, var 3 -> d = 1 / sqrt(2)
    assert stats.cohen_d(np.array([2.0, 3, 4]), np.array([1.0, 1, 4])) == pytest.approx(
        1 / math.sqrt(2)
    )


def test_wilcoxon_with_ties_and_zeros_by_hand():
    # differences: 0, 0, 1, 1, -1, 2, 2, 2, -3, 1
    a = pd.Series([3, 2, 3, 4, 1, 4, 3, 4, 1, 2], dtype=float)
    b = pd.Series([3, 2, 2, 3, 2, 2, 1, 2, 4, 1], dtype=float)
    # Zeros dropped (n = 8). |d| = 1 x4 -> ranks 1..4 (2.5 each); 2 x3 -> 5..7 (6); 3 -> 8.
    r_plus = 3 * 2.5 + 3 * 6  # 25.5
    r_minus = 2.5 + 8  # 10.5
    n = 8
    mean = n * (n + 1) / 4  # 18
    var = n * (n + 1) * (2 * n + 1) / 24 - ((4**3 - 4) + (3**3 - 3)) / 48  # 49.25
    z = (r_plus - mean) / math.sqrt(var)
    p = math.erfc(abs(z) / math.sqrt(2))  # two-sided normal tail
    out = stats.paired_test(a, b, DEFAULT)
    assert out["n_pairs"] == 10
    assert out["n_nonzero"] == 8
    assert abs(out["z"]) == pytest.approx(z)
    assert out["p_value"] == pytest.approx(p)
    assert out["effect_size_r"] == pytest.approx(abs(z) / math.sqrt(10))
    assert out["rank_biserial"] == pytest.approx((r_plus - r_minus) / (r_plus + r_minus))
    d = (a.mean() - b.mean()) / math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
    assert out["effect_size_d"] == pytest.approx(d)


def test_wilcoxon_p_matches_scipy_called_directly():
    a = pd.Series([4, 3, 4, 2, 4, 3, 4, 4, 3, 2, 4, 3], dtype=float)
    b = pd.Series([2, 3, 1, 1, 3, 1, 2, 4, 2, 1, 1, 2], dtype=float)
    expected = sps.wilcoxon(
        a.to_numpy(), b.to_numpy(), zero_method="wilcox", correction=False, method="approx"
    ).pvalue
    assert stats.paired_test(a, b, DEFAULT)["p_value"] == pytest.approx(expected)


def test_pairwise_deletion():
    a = pd.Series([4, np.nan, 3, 2, 4])
    b = pd.Series([1, 2, np.nan, 1, 3])
    out = stats.paired_test(a, b, DEFAULT)
    assert out["n_pairs"] == 3
    assert out["mean_a"] == pytest.approx(10 / 3)
    assert out["mean_b"] == pytest.approx(5 / 3)


def test_no_differences_gives_no_p_value():
    a = pd.Series([2.0, 3.0, 4.0])
    out = stats.paired_test(a, a.copy(), DEFAULT)
    assert math.isnan(out["p_value"]) and out["n_nonzero"] == 0


def test_holm_by_hand():
    p = pd.Series([0.01, 0.04, 0.03])
    # sorted 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> monotone: 0.03, 0.06, 0.06
    assert stats.adjust_p(p, "holm").tolist() == pytest.approx([0.03, 0.06, 0.06])
    assert stats.adjust_p(p, "none").tolist() == pytest.approx([0.01, 0.04, 0.03])


def test_wilcoxon_textbook_example_hollander_wolfe():
    """Hollander & Wolfe, Nonparametric Statistical Methods (1973), pp. 29f.: Hamilton
    depression scale factor of 9 patients before (x) and after (y) a tranquilliser (also
    the example of R's wilcox.test: V = 40, exact one-sided p = 0.01953).

    By hand: x - y = 0.952, -0.147, 1.022, 0.43, 0.62, 0.59, 0.49, -0.08, 0.01; ranks of
    |d| 8, 3, 9, 4, 7, 6, 5, 2, 1; T- = 3 + 2 = 5, T+ = 45 - 5 = 40. Exact: of the 2^9
    sign patterns, 10 have T- <= 5 (sums 0, 1, 2, 3 twice, 4 twice, 5 three times), so the
    two-sided exact p is 20/512. Normal approximation without continuity correction:
    z = (40 - 22.5) / sqrt(9 * 10 * 19 / 24).
    """
    x = pd.Series([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
    y = pd.Series([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])
    z = (40 - 22.5) / math.sqrt(9 * 10 * 19 / 24)
    out = stats.paired_test(x, y, DEFAULT)
    assert abs(out["z"]) == pytest.approx(z)
    assert out["p_value"] == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert out["rank_biserial"] == pytest.approx((40 - 5) / 45)
    exact = stats.paired_test(x, y, WilcoxonSettings(method="exact"))
    assert exact["p_value"] == pytest.approx(20 / 512)
    one_sided = stats.paired_test(x, y, WilcoxonSettings(method="exact", alternative="greater"))
    assert one_sided["p_value"] == pytest.approx(0.01953, abs=5e-6)


def test_signed_r_by_hand_hollander_wolfe():
    """Same example as above: T+ = 40 > T- = 5, so r = +z / sqrt(9); swapped, -z / sqrt(9)."""
    x = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
    y = np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])
    z = (40 - 22.5) / math.sqrt(9 * 10 * 19 / 24)
    assert float(stats.signed_r(x, y, DEFAULT)) == pytest.approx(z / 3)
    assert float(stats.signed_r(y, x, DEFAULT)) == pytest.approx(-z / 3)
    assert stats.paired_test(pd.Series(y), pd.Series(x), DEFAULT)["effect_size_r"] == (
        pytest.approx(z / 3)
    )


def test_rank_biserial_zero_methods_by_hand():
    # differences 0, 1, -2, 3.
    x, y = np.array([2.0, 3, 1, 4]), np.array([2.0, 2, 3, 1])
    # wilcox: zeros dropped, ranks of 1, 2, 3 are 1, 2, 3: (1 + 3 - 2) / 6.
    assert float(stats.rank_biserial(x, y, "wilcox")) == pytest.approx(2 / 6)
    # pratt: ranks of 0, 1, 2, 3 are 1..4, the zero's rank ignored: (2 + 4 - 3) / 9.
    assert float(stats.rank_biserial(x, y, "pratt")) == pytest.approx(3 / 9)
    # zsplit: the zero's rank 1 split, R+ = 6.5, R- = 3.5: 3 / 10.
    assert float(stats.rank_biserial(x, y, "zsplit")) == pytest.approx(3 / 10)


def test_vectorised_rows_equal_each_sample_alone():
    """A block of samples (rows) gives each row's value computed on its own by numpy and
    scipy, with pairwise deletion done by hand."""
    rng = np.random.default_rng(3)
    xa = rng.integers(1, 6, (15, 30)).astype(float)
    xb = rng.integers(1, 6, (15, 30)).astype(float)
    xa[rng.random(xa.shape) < 0.1] = np.nan
    xb[rng.random(xb.shape) < 0.1] = np.nan
    d, r = stats.cohen_d(xa, xb), stats.signed_r(xa, xb, DEFAULT)
    m, top, low = stats.mean(xa), stats.pct_top2(xa, 5), stats.pct_lowest(xa)
    for k in range(15):
        keep = ~(np.isnan(xa[k]) | np.isnan(xb[k]))
        a, b = xa[k][keep], xb[k][keep]
        sd = math.sqrt((np.var(a, ddof=1) + np.var(b, ddof=1)) / 2)
        assert d[k] == pytest.approx((a.mean() - b.mean()) / sd)
        res = sps.wilcoxon(a, b, method="approx")
        assert abs(r[k]) == pytest.approx(abs(res.zstatistic) / math.sqrt(keep.sum()))
        # the sign is that of R+ - R-, ranked by hand over the non-zero differences
        nz = (a - b)[a != b]
        ranks = sps.rankdata(np.abs(nz))
        assert np.sign(r[k]) == np.sign(ranks[nz > 0].sum() - ranks[nz < 0].sum())
        answered = xa[k][~np.isnan(xa[k])]
        assert m[k] == pytest.approx(answered.mean())
        assert top[k] == pytest.approx(100 * np.isin(answered, [4, 5]).mean())
        assert low[k] == pytest.approx(100 * (answered == 1).mean())


def test_practice_score_and_adjustment_keep_nan_out():
    assert float(stats.practice_score([4.0, 3.0, 2.5])) == pytest.approx(9.5 / 3)
    assert stats.practice_score([np.array([1.0, 2.0]), np.array([3.0, 4.0])]).tolist() == [2, 3]
    got = stats.adjust_p([0.01, np.nan, 0.04], "bonferroni")
    assert got[0] == pytest.approx(0.02) and math.isnan(got[1]) and got[2] == pytest.approx(0.08)
