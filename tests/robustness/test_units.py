"""Robustness building blocks against hand computations and independent
implementations, and their independence from the chunking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.metrics import cohen_kappa_score

from downstream_safety.robustness import bootstrap as bs
from downstream_safety.robustness import multiverse as mv
from downstream_safety.robustness import orders, seeds
from downstream_safety.robustness.paired import adjust, paired_p, pairs
from downstream_safety.robustness.screening import excluded
from downstream_safety.survey.stats import cohen_d, rank_biserial

RNG = np.random.default_rng(7)


def test_chunk_ranges_partition_every_count():
    for n in [0, 1, 7, 1000]:
        for k in [1, 2, 3, 8]:
            got = [i for c in range(k) for i in seeds.chunk_range(n, k, c)]
            assert got == list(range(n))


def test_resamples_do_not_depend_on_the_chunking():
    x = RNG.integers(1, 6, 40).astype(float)
    x[[3, 9]] = np.nan
    q = [bs.Quantity("mean__x", (seeds.RESPONDENTS,), (x,), bs._nanmean)]
    whole = bs.resample_block(q, 11, range(50))
    parts = np.vstack([bs.resample_block(q, 11, seeds.chunk_range(50, 3, c)) for c in range(3)])
    assert whole.tobytes() == parts.tobytes()
    # Resample i is the mean of the units drawn by its own seed.
    idx = seeds.generator(11, seeds.RESPONDENTS, 4).integers(0, 40, 40)
    assert whole[4, 0] == pytest.approx(np.nanmean(x[idx]))


def test_vectorised_effect_sizes_match_the_survey_stage():
    a = RNG.integers(1, 5, 60).astype(float)
    b = RNG.integers(1, 5, 60).astype(float)
    a[2], b[5] = np.nan, np.nan
    both = ~(np.isnan(a) | np.isnan(b))
    assert bs.cohen_d(a, b) == pytest.approx(cohen_d(a[both], b[both]))
    assert bs.rank_biserial(a, b) == pytest.approx(rank_biserial(a[both], b[both]))
    z = stats.wilcoxon(a[both], b[both], method="approx").zstatistic
    r = bs.effect_size_r({"correction": False, "alternative": "two-sided"})(a, b)
    assert r == pytest.approx(abs(z) / np.sqrt(both.sum()))


def test_pooled_kappa_matches_scikit_learn():
    first = RNG.random((30, 5)) < 0.3
    second = first ^ (RNG.random((30, 5)) < 0.15)
    (q,) = bs.kappa_quantities([("r", first, second)])
    expected = cohen_kappa_score(first.ravel(), second.ravel())
    assert q.statistic(*q.samples) == pytest.approx(expected)


def test_bca_interval_is_scipys_for_the_same_resamples():
    x = RNG.normal(size=30)
    q = bs.Quantity("mean__x", (seeds.RESPONDENTS,), (x,), bs._nanmean)
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
        {"id": "experience", "exclude_if_any": {"exp": ["None"]}},
        {"id": "description", "exclude_if_any": {"verdict": ["r"]}},
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
