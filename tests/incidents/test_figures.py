"""Triangulation numbers on hand-made frames; figures are byte-stable."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from downstream_safety.common.figures import save_figure
from downstream_safety.incidents import schemas
from downstream_safety.incidents.figures import (
    frequency_figure,
    triangulation_figure,
    triangulation_table,
)

ORDER = ["p", "q"]
COUNTS = pd.DataFrame({"subtheme_id": ["p", "q"], "n_incidents": [5, 1], "pct": [50.0, 10.0]})
PARTICIPANTS = pd.DataFrame(
    {
        "rq": ["RQ1", "RQ1", "RQ2"],
        "theme_id": "t",
        "subtheme_id": ["p", "q", "p"],
        "n_participants": [9, 3, 18],
    }
)
SUMMARY = pd.DataFrame(
    {
        "wave": ["all", "all", "wave1"],
        "item_id": ["imp_p", "imp_q", "imp_p"],
        "n_valid": [10, 10, 10],
        "n_missing": [0, 0, 0],
        "mean": [4.5, 3.0, 1.0],
        "pct_top2": [90.0, 40.0, 0.0],
        "pct_lowest": [0.0, 0.0, 100.0],
    }
)


def test_triangulation_table_hand_values():
    t = triangulation_table(COUNTS, PARTICIPANTS, 18, SUMMARY, ORDER).set_index("subtheme_id")
    assert t.loc["p", "pct_interviewees"] == pytest.approx(50.0)  # 9 of 18, RQ1 row only
    assert t.loc["q", "pct_interviewees"] == pytest.approx(100 * 3 / 18)
    assert t.loc["p", "survey_mean"] == 4.5  # the pooled 'all' row, not wave1
    assert t.loc["q", "pct_top2"] == 40.0 and t.loc["q", "pct_incidents"] == 10.0
    schemas.TRIANGULATION.validate(t.reset_index())


def test_triangulation_missing_subtheme_is_empty():
    t = triangulation_table(
        COUNTS, PARTICIPANTS[PARTICIPANTS["subtheme_id"] == "q"], 18, SUMMARY, ORDER
    )
    assert math.isnan(t.set_index("subtheme_id").loc["p", "pct_interviewees"])


def test_figures_are_byte_stable(tmp_path):
    names = {"p": "Pee", "q": "Queue"}
    t = triangulation_table(COUNTS, PARTICIPANTS, 18, SUMMARY, ORDER)
    for make, stem in (
        (lambda: triangulation_figure(t, names), "tri"),
        (lambda: frequency_figure(COUNTS, names), "freq"),
    ):
        first = save_figure(make(), tmp_path / f"{stem}1")
        second = save_figure(make(), tmp_path / f"{stem}2")
        for a, b in zip(first, second, strict=True):
            assert a.read_bytes() == b.read_bytes()
