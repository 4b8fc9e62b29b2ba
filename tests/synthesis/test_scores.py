"""Per-subtheme survey scores: every item that measures a subtheme counts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.synthesis.scores import pick_wave, score_range, subtheme_means
from tests.synthesis.helpers import tiny_design

SUMMARY = pd.DataFrame(
    {
        "wave": "all",
        "item_id": ["imp_p", "imp_p_again", "imp_q", "freq_h__a", "freq_h__b", "agr_z"],
        "mean": [6.5, 4.0, 3.25, 2.0, 3.5, 4.1],
        "pct_top2": [90.0, 30.0, 10.0, 20.0, 60.0, 70.0],
    }
)


def test_two_items_measuring_one_subtheme(tmp_path):
    design = tiny_design(tmp_path)
    means = subtheme_means(design, SUMMARY)
    assert means["p"] == pytest.approx((6.5 + 4.0) / 2)  # 5.25, both importance items
    assert means["q"] == 3.25
    assert means["h"] == pytest.approx((2.0 + 3.5) / 2)  # one item per context
    assert means["z"] == 4.1
    assert "w" not in means.index  # no item measures w
    top2 = subtheme_means(design, SUMMARY, "pct_top2")
    assert top2["p"] == pytest.approx(60.0)


def test_item_without_answers_is_left_out(tmp_path):
    design = tiny_design(tmp_path)
    summary = SUMMARY.assign(mean=SUMMARY["mean"].where(SUMMARY["item_id"] != "imp_p_again"))
    assert subtheme_means(design, summary)["p"] == 6.5
    assert math.isnan(summary.set_index("item_id").at["imp_p_again", "mean"])


def test_score_range_follows_the_scale(tmp_path):
    design = tiny_design(tmp_path)
    assert score_range(design, ["p", "q"]) == 7
    assert score_range(design, ["h"]) == 4
    assert score_range(design, ["w"]) == 7  # no item: the longest scale


def test_pick_wave(tmp_path):
    two = pd.concat([SUMMARY, SUMMARY.assign(wave="w1")])
    assert set(pick_wave(two, "w1", "f.csv")["wave"]) == {"w1"}
    assert set(pick_wave(SUMMARY.assign(wave="w1"), "all", "f.csv")["wave"]) == {"w1"}
    with pytest.raises(InputError) as e:
        pick_wave(two.assign(wave=["x"] * 6 + ["y"] * 6), "all", "f.csv")
    assert e.value.column == "wave" and "paper.survey_wave" in e.value.fix
