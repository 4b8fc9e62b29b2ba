"""Table 3 on a tiny hand-made design: scores, empty cells, layout and note."""

from __future__ import annotations

import pandas as pd
import pytest

from downstream_safety.synthesis import schemas
from downstream_safety.synthesis.table3 import (
    build_table3,
    display_table3,
    score_definition,
    table3_latex,
    table3_note,
)
from tests.incidents.helpers import paper_design
from tests.synthesis.helpers import tiny_design
from tests.synthesis.test_scores import SUMMARY

PARTICIPANTS = pd.DataFrame({"subtheme_id": ["p", "q", "h", "z"], "n_participants": [7, 1, 9, 3]})
INCIDENTS = pd.DataFrame({"subtheme_id": ["p", "q"], "n_incidents": [66, 0]})


@pytest.fixture
def design(tmp_path):
    return tiny_design(tmp_path)


def test_scores_counts_and_empty_cells(design):
    t = build_table3(design, PARTICIPANTS, SUMMARY, INCIDENTS)
    assert t["subtheme_id"].tolist() == ["p", "q", "h", "z", "w"]
    assert t["n_participants"].tolist()[:4] == [7, 1, 9, 3] and pd.isna(t.loc[4, "n_participants"])
    # p: two importance items, (6.5 + 4.0) / 2; h: two context items, (2.0 + 3.5) / 2
    assert t["survey_score"].tolist()[:4] == pytest.approx([5.25, 3.25, 2.75, 4.1])
    assert pd.isna(t.loc[4, "survey_score"])  # not surveyed
    assert t["n_incidents"].isna().tolist() == [False, False, True, True, True]
    schemas.table3(design).validate(t)  # 5.25 fits the 7-point range
    shown = display_table3(t, design)
    assert shown["RQ"].tolist() == ["Worries", "", "Habits", "Hurdles", ""]
    assert shown["Theme"].tolist() == ["Worry theme", "", "Habit theme", "Hurdle theme", ""]
    assert shown["Survey score"].tolist() == ["5.25", "3.25", "2.75", "4.10", "---"]
    assert shown["# AI incidents"].tolist() == ["66", "0", "---", "---", "---"]


def test_strands_switched_off(design):
    t = build_table3(design, None, SUMMARY, None)
    assert t["n_participants"].isna().all() and t["n_incidents"].isna().all()
    assert t.loc[0, "survey_score"] == pytest.approx(5.25)
    schemas.table3(design).validate(t)


def test_schema_takes_rq_ids_from_the_design(design):
    t = build_table3(design, PARTICIPANTS, SUMMARY, INCIDENTS)
    with pytest.raises(Exception, match="isin"):
        schemas.table3(design).validate(t.assign(rq="RQ1"))


def test_note_is_written_from_the_design(design):
    assert score_definition(design) == (
        "Survey score: the unweighted mean of the subtheme's item means (worries: 7-point "
        "importance; hurdles: 5-point agreement); for a habit, the unweighted mean of its "
        "two context means (C1 alpha, C2 beta; 4-point frequency)."
    )
    assert table3_note(design, None).endswith("'---': not surveyed, or not an incident label.")


def test_note_of_the_paper_study_is_the_published_wording():
    # The note the package printed before the design was data, typed by hand.
    assert table3_note(paper_design(), None) == (
        "Survey score: mean answer of the subtheme's item (concerns: 5-point importance; "
        "challenges: 5-point agreement); for a practice, the unweighted mean of its three "
        "context means (C1 data, C2 model behaviour, C3 misuse; 4-point frequency). "
        "'---': not surveyed, or not an incident label."
    )


def test_note_names_swapped_cells(design):
    claims = pd.DataFrame(
        {
            "claim_id": ["T3_survey__h", "T3_survey__z", "C001"],
            "published": ["3.07", "3.04", "18"],
            "note": ["likely swapped with z", "", "swapped elsewhere"],
        }
    )
    note = table3_note(design, claims, {"h": "Habit h"}, "pub/claims.csv")
    assert "Habit h (printed 3.07)" in note and "(printed 3.04)" not in note
    assert note.endswith(
        "These printed values are the only published values in this table, read from "
        "pub/claims.csv; every cell is computed."
    )


def test_latex_groups_subthemes_under_their_theme(design):
    t = build_table3(design, PARTICIPANTS, SUMMARY, INCIDENTS)
    tex = table3_latex(display_table3(t, design), caption="C", label="tab:x", note="N 50%")
    lines = tex.splitlines()
    assert r"\textbf{Worries} & \multicolumn{4}{l}{\textit{Worry theme}} \\" in lines
    assert r" & \quad Worry p & 7 & 5.25 & 66 \\" in lines
    assert r" & \quad Hurdle w & --- & --- & --- \\" in lines
    assert sum(line == r"\midrule" for line in lines) == 3  # one rule per RQ
    assert r"\footnotesize N 50\%" in tex
