"""Screening, per-wave and pooled tables on hand-made waves (two waves: pooled = both)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from downstream_safety.survey import analysis
from downstream_safety.survey.load import read_waves
from downstream_safety.survey.numbers import survey_numbers
from downstream_safety.survey.stats import WilcoxonSettings
from tests.survey.helpers import paper_design, wave_frame, write_wave

D = paper_design()


@pytest.fixture
def two_waves(tmp_path):
    # Wave a: 4 rows; row 3 has no DL experience (stage 1), row 4 a rejected
    # description (stage 2) -> 2 valid.
    a = wave_frame(
        [{"imp_reliability": 5}, {"imp_reliability": 4}, {"imp_reliability": 1},
         {"imp_reliability": 1}],
        dl_experience=["1-2 years", "3-5 years", "None", "1-2 years"],
        description_verdict=["accept", "accept", "accept", "reject"],
    )  # fmt: skip
    # Wave b: 3 valid rows; ids repeat wave a's (unique only within a wave).
    b = wave_frame(
        [{"imp_reliability": 2}, {"imp_reliability": 0}, {"imp_reliability": 5}],
        ai_projects=["5-10", "5-10", "More than 25"],
    )
    waves = [
        {"id": "a", "responses": str(write_wave(a, tmp_path / "a.csv"))},
        {"id": "b", "responses": str(write_wave(b, tmp_path / "b.csv"))},
    ]
    loaded = read_waves(waves, D)
    return analysis.with_status(pd.concat([w.responses for w in loaded], ignore_index=True), D)


def test_screening(two_waves):
    s = analysis.screening_table(two_waves, D, ["a", "b"]).set_index("wave")
    assert s.loc["a"].tolist() == [4, 1, 1, 2]
    assert s.loc["b"].tolist() == [3, 0, 0, 3]
    assert s.loc["all"].tolist() == [7, 1, 1, 5]


def test_item_summary_per_wave_and_pooled(two_waves):
    summary, levels = analysis.item_tables(two_waves, D, ["a", "b"])
    rel = summary[summary["item_id"] == "imp_reliability"].set_index("wave")
    assert rel.loc["a", "mean"] == pytest.approx(4.5)  # 5, 4
    assert rel.loc["b", "mean"] == pytest.approx(3.5)  # 2, 5 (one "I do not know")
    assert rel.loc["all", "mean"] == pytest.approx(16 / 4)
    assert rel.loc["all", "n_valid"] == 4 and rel.loc["all", "n_missing"] == 1
    assert rel.loc["all", "pct_top2"] == pytest.approx(75.0)
    assert rel.loc["all", "pct_lowest"] == pytest.approx(0.0)
    lv = levels[(levels["wave"] == "all") & (levels["item_id"] == "imp_reliability")]
    assert lv["count"].tolist() == [0, 1, 0, 1, 2]


def test_practice_tests_shape_and_pooled_pairs(two_waves):
    t = analysis.practice_tests(two_waves, D, ["a", "b"], WilcoxonSettings())
    assert len(t) == 3 * 8 * 3  # waves a, b, all x 8 practices x 3 pairs
    pooled = t[(t["wave"] == "all") & (t["practice"] == "documentation")]
    assert pooled["n_pairs"].tolist() == [5, 5, 5]
    assert list(zip(pooled["concern_a"], pooled["concern_b"], strict=True)) == [
        ("behaviour", "data"),
        ("behaviour", "misuse"),
        ("data", "misuse"),
    ]


def test_demographics_and_numbers(two_waves):
    order = ["a", "b"]
    demo = analysis.demographics_table(two_waves, D, order)
    pooled = demo[(demo["wave"] == "all") & (demo["question"] == "ai_projects")]
    assert dict(zip(pooled["answer"], pooled["n"], strict=True)) == {
        "None": 0, "1-5": 2, "5-10": 2, "10-25": 0, "More than 25": 1}  # fmt: skip
    summary, levels = analysis.item_tables(two_waves, D, order)
    tests = analysis.practice_tests(two_waves, D, order, WilcoxonSettings())
    nums = survey_numbers(
        analysis.screening_table(two_waves, D, order), demo, summary, levels, tests, D
    ).set_index("key")["value"]
    assert nums["screen__valid"] == 5
    assert nums["demo_pct__ai_projects__5_10"] == pytest.approx(40.0)
    assert nums["mean__imp_reliability"] == pytest.approx(4.0)
    assert nums["practice_score__documentation"] == pytest.approx(3.0)


def test_wave_comparison(two_waves):
    comp = analysis.wave_comparison(two_waves, D, ["a", "b"])
    rel = comp[comp["item_id"] == "imp_reliability"].set_index("wave")
    assert rel.loc["a", "mean"] == pytest.approx(4.5)
    assert rel.loc["b", "n_valid"] == 2
    # Kruskal-Wallis by hand: a = (5, 4), b = (2, 5); pooled ranks 2 -> 1, 4 -> 2,
    # 5, 5 -> 3.5 each; R_a = 5.5, R_b = 4.5, N = 4.
    # H = 12 / (N (N + 1)) * (5.5^2 / 2 + 4.5^2 / 2) - 3 (N + 1) = 0.6 * 25.25 - 15 = 0.15;
    # ties (one pair): divide by 1 - (2^3 - 2) / (4^3 - 4) = 0.9 -> H = 1/6.
    # With 1 degree of freedom, p = P(chi2_1 > H) = erfc(sqrt(H / 2)).
    h = (12 / 20 * (5.5**2 / 2 + 4.5**2 / 2) - 15) / (1 - 6 / 60)
    assert h == pytest.approx(1 / 6)
    assert rel.loc["a", "kruskal_h"] == pytest.approx(1 / 6, rel=1e-12)
    assert rel.loc["a", "kruskal_p"] == pytest.approx(math.erfc(math.sqrt(h / 2)), rel=1e-12)
    assert rel.loc["a", "kruskal_p"] == pytest.approx(0.6831, abs=1e-4)
