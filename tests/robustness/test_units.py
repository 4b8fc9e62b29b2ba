"""Robustness building blocks against hand computations and independent
implementations, and their independence from the chunking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.metrics import cohen_kappa_score

from downstream_safety.instruments.design import ScreeningRule
from downstream_safety.robustness import bootstrap as bs
from downstream_safety.robustness import multiverse as mv
from downstream_safety.robustness import orders, seeds
from downstream_safety.robustness.paired import paired_p, pairs
from downstream_safety.robustness.screening import excluded
from downstream_safety.survey.stats import adjust_p as adjust

RNG = np.random.default_rng(7)


def test_chunk_ranges_partition_every_count():
    for n in [0, 1, 7, 1000]:
        for k in [1, 2, 3, 8]:
            got = [i for c in range(k) for i in seeds.chunk_range(n, k, c)]
            assert got == list(range(n))


def test_resamples_do_not_depend_on_the_chunking():
    x = RNG.integers(1, 6, 40).astype(float)
    x[[3, 9]] = np.nan
    q = [bs.Quantity("mean__x", (seeds.RESPONDENTS,), (x,), bs._mean)]
    whole = bs.resample_block(q, 11, range(50))
    parts = np.vstack([bs.resample_block(q, 11, seeds.chunk_range(50, 3, c)) for c in range(3)])
    assert whole.tobytes() == parts.tobytes()
    # Resample i is the mean of the units drawn by its own seed.
    idx = seeds.generator(11, seeds.RESPONDENTS, 4).integers(0, 40, 40)
    assert whole[4, 0] == pytest.approx(np.nanmean(x[idx]))


def test_bootstrap_statistics_equal_an_independent_computation():
    """Each bootstrap statistic (a resample block at once) equals scipy / numpy
    called on each resample alone, after pairwise deletion by hand."""
    a = RNG.integers(1, 5, 60).astype(float)
    b = RNG.integers(1, 5, 60).astype(float)
    a[2], b[5] = np.nan, np.nan
    idx = seeds.resample_indices(1, seeds.RESPONDENTS, 60, range(20))
    xa, xb = a[idx], b[idx]
    settings = {"zero_method": "wilcox", "correction": False, "alternative": "two-sided"}
    d = bs._cohen_d(xa, xb)
    r = bs._signed_r(bs.stats.WilcoxonSettings.from_config(settings))(xa, xb)
    rb = bs._rank_biserial("wilcox")(xa, xb)
    for k in range(20):
        keep = ~(np.isnan(xa[k]) | np.isnan(xb[k]))
        x, y = xa[k][keep], xb[k][keep]
        sd = np.sqrt((np.var(x, ddof=1) + np.var(y, ddof=1)) / 2)
        assert d[k] == pytest.approx((x.mean() - y.mean()) / sd)
        z = stats.wilcoxon(x, y, method="approx").zstatistic  # scipy: -|z| two-sided
        diff = (x - y)[x != y]
        ranks = stats.rankdata(np.abs(diff))
        r_plus, r_minus = ranks[diff > 0].sum(), ranks[diff < 0].sum()
        assert r[k] == pytest.approx(np.sign(r_plus - r_minus) * abs(z) / np.sqrt(keep.sum()))
        assert rb[k] == pytest.approx((r_plus - r_minus) / (r_plus + r_minus))
    m = bs._mean(xa)
    top = bs._pct_top2(4)(xa)
    for k in range(20):
        answered = xa[k][~np.isnan(xa[k])]
        assert m[k] == pytest.approx(answered.mean())
        assert top[k] == pytest.approx(100 * np.isin(answered, [3, 4]).mean())


def test_bootstrap_estimates_are_the_survey_stages_values():
    """The same point values from both stages: survey.analysis on a small study's
    answers and the bootstrap quantities' estimates on the same answers."""
    from downstream_safety.instruments.design import Scale
    from downstream_safety.survey.stats import WilcoxonSettings, item_summary, paired_test

    n = 40
    df = pd.DataFrame(
        {c: RNG.integers(1, 6, n).astype(float) for c in ["p_a", "p_b", "q_a", "q_b"]}
    )
    df.loc[[1, 7], "p_a"] = np.nan
    df.loc[[3], "q_b"] = np.nan
    settings = {"zero_method": "wilcox", "correction": False, "alternative": "two-sided",
                "method": "approx"}  # fmt: skip
    qs = bs.survey_quantities(
        df,
        items=list(df.columns),
        n_levels=dict.fromkeys(df.columns, 5),
        practice_items={"p": {"a": "p_a", "b": "p_b"}, "q": {"a": "q_a", "b": "q_b"}},
        context_pairs=[("a", "b")],
        demographics={},
        settings=settings,
    )
    est = {q.id: float(q.statistic(*q.samples)) for q in qs}
    scale = Scale("s5", tuple("12345"))
    for item in df.columns:
        s = item_summary(df[item], scale)
        assert est[f"mean__{item}"] == pytest.approx(s["mean"], rel=1e-15)
        assert est[f"pct_top2__{item}"] == pytest.approx(s["pct_top2"], rel=1e-15)
        assert est[f"pct_lowest__{item}"] == pytest.approx(s["pct_lowest"], rel=1e-15)
    for p in ["p", "q"]:
        t = paired_test(df[f"{p}_a"], df[f"{p}_b"], WilcoxonSettings())
        assert est[f"effect_size_d__{p}__a__b"] == pytest.approx(t["effect_size_d"], rel=1e-12)
        assert abs(est[f"effect_size_r__{p}__a__b"]) == pytest.approx(t["effect_size_r"])
        assert np.sign(est[f"effect_size_r__{p}__a__b"]) == np.sign(t["rank_biserial"])
        assert est[f"rank_biserial__{p}__a__b"] == pytest.approx(t["rank_biserial"])
        score = (df[f"{p}_a"].mean() + df[f"{p}_b"].mean()) / 2  # pandas skips NaN
        assert est[f"practice_score__{p}"] == pytest.approx(score)
    methods = {q.id: q.method for q in qs}
    assert methods["effect_size_r__p__a__b"] == bs.SIGNED_R_METHOD
    assert methods["effect_size_d__p__a__b"] == bs.METHOD == "BCa"


def test_signed_r_interval_contains_its_estimate_near_zero():
    """The defect the signed r fixes: with no difference between the contexts, the
    folded |z|/sqrt(n) sits at its boundary and its BCa interval can exclude the
    estimate; the interval of the signed r contains it and straddles 0 as d's does."""
    n = 86
    x = RNG.integers(1, 5, n).astype(float)
    y = x.copy()
    flip = RNG.choice(n, 30, replace=False)
    y[flip[:15]] += 1
    y[flip[15:]] -= 1
    settings = {"zero_method": "wilcox", "correction": False, "alternative": "two-sided"}
    qs = bs.survey_quantities(
        pd.DataFrame({"x": x, "y": y}),
        items=[],
        n_levels={},
        practice_items={"p": {"a": "x", "b": "y"}},
        context_pairs=[("a", "b")],
        demographics={},
        settings=settings,
    )
    dist = bs.resample_block(qs, 5, range(1000))
    table = bs.intervals(qs, dist, 0.95).set_index("quantity")
    for q in table.itertuples():
        assert q.ci_low <= q.estimate <= q.ci_high, q.Index
    d, r = table.loc["effect_size_d__p__a__b"], table.loc["effect_size_r__p__a__b"]
    assert (d.ci_low < 0 < d.ci_high) and (r.ci_low < 0 < r.ci_high)


def test_pooled_kappa_matches_scikit_learn():
    first = RNG.random((30, 5)) < 0.3
    second = first ^ (RNG.random((30, 5)) < 0.15)
    (q,) = bs.kappa_quantities([("r", first, second)])
    expected = cohen_kappa_score(first.ravel(), second.ravel())
    assert q.statistic(*q.samples) == pytest.approx(expected)


def test_bca_interval_is_scipys_for_the_same_resamples():
    x = RNG.normal(size=30)
    q = bs.Quantity("mean__x", (seeds.RESPONDENTS,), (x,), bs._mean)
    dist = bs.resample_block([q], 3, range(400))
    got = bs.intervals([q], dist, 0.9).iloc[0]
    idx = seeds.resample_indices(3, seeds.RESPONDENTS, 30, range(400))
    assert np.allclose(dist[:, 0], x[idx].mean(axis=1))
    assert got["ci_low"] < x.mean() < got["ci_high"]
    # Percentile-free sanity check: a wider level gives a wider interval.
    wide = bs.intervals([q], dist, 0.99).iloc[0]
    assert wide["ci_low"] <= got["ci_low"] and wide["ci_high"] >= got["ci_high"]


def test_screening_rules_and_skips():
    df = pd.DataFrame({"exp": ["None", "1", "1", "None"], "verdict": ["a", "r", "a", "r"]})
    rules = [
        ScreeningRule("experience", (("exp", ("None",)),)),
        ScreeningRule("description", (("verdict", ("r",)),)),
    ]
    assert excluded(df, rules).tolist() == [True, True, False, True]
    assert excluded(df, rules, ["description"]).tolist() == [True, False, False, True]
    assert excluded(df, rules, ["experience"]).tolist() == [False, True, False, True]


def test_missing_answer_rules():
    df = pd.DataFrame({"a": [1, 2, np.nan, 4], "b": [2, np.nan, 3, 1], "c": [np.nan, 1, 1, 1]})
    x, y = pairs(df, "a", "b", ["a", "b", "c"], "pairwise")
    assert x.tolist() == [1, 4] and y.tolist() == [2, 1]
    x, y = pairs(df, "a", "b", ["a", "b", "c"], "listwise")
    assert x.tolist() == [4] and y.tolist() == [1]


def test_tests_and_corrections_by_hand():
    x = np.array([3.0, 4, 4, 2, 4, 3, 4, 4])
    y = np.array([2.0, 3, 4, 2, 3, 2, 3, 3])
    # Sign test: 6 positive, 0 negative differences -> two-sided p = 2 * 0.5**6.
    assert paired_p(x, y, {"test": "sign"}, alternative="two-sided")[1] == pytest.approx(2 / 64)
    # Holm over (0.01, 0.04, 0.03): sorted 0.01*3, 0.03*2, max(0.04*1, 0.06).
    assert adjust(np.array([0.01, 0.04, 0.03]), "holm") == pytest.approx([0.03, 0.06, 0.06])
    assert adjust(np.array([0.01, np.nan]), "bonferroni")[0] == pytest.approx(0.01)
    p1 = paired_p(x, y, {"test": "permutation"}, alternative="two-sided",
                  rng=seeds.generator(1, seeds.PERMUTATION, 0), n_resamples=500)  # fmt: skip
    p2 = paired_p(x, y, {"test": "permutation"}, alternative="two-sided",
                  rng=seeds.generator(1, seeds.PERMUTATION, 0), n_resamples=500)  # fmt: skip
    assert p1 == p2
    assert np.isnan(paired_p(x, x, {"test": "ttest"}, alternative="two-sided")[1])


def test_verdicts():
    assert [mv.verdict(3, 3), mv.verdict(1, 3), mv.verdict(0, 3)] == [
        "robust",
        "fragile",
        "contrary",
    ]


def test_saturation_orders_do_not_depend_on_the_chunking():
    sets = {"RQ1": [{i % 5, (i * 3) % 7} for i in range(12)]}
    params = {
        "guest2006": {"batch_size": 1, "coverage": 1.0},
        "guest2020": {"base_size": 4, "run_length": 2, "threshold": 0.05, "step": 1},
    }
    methods = ["guest2006", "guest2020"]
    whole = orders.order_points(sets, methods, params, 5, range(30))
    parts = pd.concat(
        [
            orders.order_points(sets, methods, params, 5, seeds.chunk_range(30, 4, c))
            for c in range(4)
        ],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(whole, parts)
    dist = orders.distribution(whole, 30)
    assert dist.groupby(["rq", "method"])["share"].sum().round(12).eq(1).all()


def test_robustness_screens_as_the_survey_does(tmp_path):
    """With no rule left out, the robustness stage keeps exactly the respondents the
    survey stage marks valid (one set of rules, ScreeningRule.excludes)."""
    from downstream_safety.robustness.screening import kept
    from downstream_safety.survey.load import screen
    from tests.survey.helpers import tiny_design

    design = tiny_design(
        tmp_path,
        screening=[
            {"id": "managers", "exclude_if_any": {"role": ["Manager"]}},
            {"id": "researchers", "exclude_if_any": {"role": ["Researcher"]}},
        ],
    )
    df = pd.DataFrame({"role": ["Engineer", "Manager", "Researcher", "Engineer", "Manager"]})
    valid = df.index[screen(df, design) == "valid"].tolist()
    assert valid == [0, 3]
    assert kept(df, design.screening).index.tolist() == valid
    assert kept(df, design.screening, ["managers"]).index.tolist() == [0, 1, 3, 4]
