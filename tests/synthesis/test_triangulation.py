"""Triangulation on hand-made frames: incident labels from the configured RQ,
every item measuring a concern counted, strands switched off left empty."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from downstream_safety.common.figures import save_figure
from downstream_safety.incidents.figures import frequency_figure
from downstream_safety.synthesis import schemas
from downstream_safety.synthesis.triangulation import (
    concern_scale,
    top2_phrase,
    triangulation_figure,
    triangulation_table,
)
from tests.synthesis.helpers import tiny_design
from tests.synthesis.test_scores import SUMMARY

COUNTS = pd.DataFrame({"subtheme_id": ["p", "q"], "n_incidents": [5, 1], "pct": [50.0, 10.0]})
PARTICIPANTS = pd.DataFrame(
    {
        "rq": ["Q-a", "Q-a", "Q-b"],
        "theme_id": "t",
        "subtheme_id": ["p", "q", "h"],
        "n_participants": [9, 3, 18],
    }
)


def test_hand_values_with_two_items_for_one_concern(tmp_path):
    design = tiny_design(tmp_path)
    t = triangulation_table(design, COUNTS, PARTICIPANTS, 18, SUMMARY).set_index("subtheme_id")
    assert list(t.index) == ["p", "q"]  # the subthemes of Q-a, codebook order
    assert t.loc["p", "pct_interviewees"] == pytest.approx(50.0)  # 9 of 18
    assert t.loc["p", "survey_mean"] == pytest.approx(5.25)  # (6.5 + 4.0) / 2
    assert t.loc["p", "pct_top2"] == pytest.approx(60.0)  # (90 + 30) / 2
    assert t.loc["q", "survey_mean"] == 3.25 and t.loc["q", "pct_incidents"] == 10.0
    # 5.25 is above the 1-5 range of the paper's scale: the schema follows the 7 levels
    schemas.triangulation(design).validate(t.reset_index())


def test_mean_outside_the_scale_breaks_the_schema(tmp_path):
    design = tiny_design(tmp_path)
    t = triangulation_table(design, COUNTS, PARTICIPANTS, 18, SUMMARY)
    with pytest.raises(Exception, match="in_range"):
        schemas.triangulation(design).validate(t.assign(survey_mean=7.5))


def test_taxonomy_from_another_rq(tmp_path):
    design = tiny_design(tmp_path, taxonomy_rq="Q-c")
    counts = pd.DataFrame({"subtheme_id": ["z", "w"], "n_incidents": [2, 0], "pct": [20.0, 0.0]})
    participants = PARTICIPANTS.assign(rq=["Q-c", "Q-c", "Q-b"], subtheme_id=["z", "w", "h"])
    t = triangulation_table(design, counts, participants, 18, SUMMARY).set_index("subtheme_id")
    assert list(t.index) == ["z", "w"]
    assert t.loc["z", "survey_mean"] == 4.1 and math.isnan(t.loc["w", "survey_mean"])
    assert t.loc["w", "pct_interviewees"] == pytest.approx(100 * 3 / 18)
    stats = schemas.triangulation(design).columns["survey_mean"].checks[0].statistics
    # agreement5, the scale of the items measuring Q-c's subthemes
    assert (stats["min_value"], stats["max_value"]) == (1, 5)


def test_strands_switched_off_leave_columns_empty(tmp_path):
    design = tiny_design(tmp_path)
    t = triangulation_table(design, COUNTS, None, None, None)
    assert t["pct_incidents"].tolist() == [50.0, 10.0]
    for col in ("pct_interviewees", "survey_mean", "pct_top2"):
        assert t[col].isna().all()
    schemas.triangulation(design).validate(t)


def test_labels_of_the_survey_series(tmp_path):
    design = tiny_design(tmp_path)
    scale, block = concern_scale(design)
    assert (scale.n_levels, block) == (7, "importance")
    assert top2_phrase(scale) == "very or extremely important"
    assert top2_phrase(design.scales["frequency4"]) == "f3 or f4"
    assert concern_scale(tiny_design(tmp_path / "x", taxonomy_rq="Q-b")) == (
        design.scales["frequency4"],
        "frequency",
    )


def test_figures_are_byte_stable(tmp_path):
    design = tiny_design(tmp_path / "d")
    names = design.short_labels()
    full = triangulation_table(design, COUNTS, PARTICIPANTS, 18, SUMMARY)
    bare = triangulation_table(design, COUNTS, None, None, None)
    for make, stem in (
        (lambda: triangulation_figure(full, names, concern_scale(design)), "tri"),
        (lambda: triangulation_figure(bare, names, None), "bare"),
        (lambda: frequency_figure(COUNTS, names), "freq"),
    ):
        first = save_figure(make(), tmp_path / f"{stem}1")
        second = save_figure(make(), tmp_path / f"{stem}2")
        for a, b in zip(first, second, strict=True):
            assert a.read_bytes() == b.read_bytes()
