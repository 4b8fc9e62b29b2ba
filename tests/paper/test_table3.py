"""Table 3 on hand-made frames: scores, empty cells, layout and note."""

from __future__ import annotations

import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.instruments.load import Codebook
from downstream_safety.paper.table3 import (
    build_table3,
    display_table3,
    pick_wave,
    table3_latex,
    table3_note,
)


@pytest.fixture
def codebook() -> Codebook:
    themes = pd.DataFrame(
        {
            "rq": ["RQ1", "RQ2"],
            "theme_id": ["t_concern", "t_practice"],
            "theme_name": ["Concern theme", "Practice theme"],
            "theme_order": [1, 2],
        }
    )
    subs = pd.DataFrame(
        {
            "rq": ["RQ1", "RQ2", "RQ2"],
            "theme_id": ["t_concern", "t_practice", "t_practice"],
            "subtheme_id": ["c1", "p1", "p2"],
            "subtheme_name": ["Concern one", "Practice one", "Practice two"],
            "short_label": ["C one", "P one", "P two"],
            "subtheme_order": [1, 2, 3],
        }
    )
    return Codebook(themes, subs)


ITEMS = pd.DataFrame(
    {
        "item_id": ["imp_c1", "freq_p1__data", "freq_p1__behaviour", "freq_p1__misuse"],
        "subtheme_id": ["c1", "p1", "p1", "p1"],
    }
)


def test_scores_counts_and_empty_cells(codebook):
    summary = pd.DataFrame(
        {
            "wave": ["all"] * 4,
            "item_id": ["imp_c1", "freq_p1__data", "freq_p1__behaviour", "freq_p1__misuse"],
            "mean": [4.5, 3.0, 2.0, 4.0],
        }
    )
    participants = pd.DataFrame({"subtheme_id": ["c1", "p1", "p2"], "n_participants": [7, 9, 3]})
    incidents = pd.DataFrame({"subtheme_id": ["c1"], "n_incidents": [66]})
    t = build_table3(codebook, participants, ITEMS, summary, incidents)
    assert t["n_participants"].tolist() == [7, 9, 3]
    # Practice one: mean of the three context means (3 + 2 + 4) / 3 = 3.
    assert t["survey_score"].tolist()[:2] == [4.5, 3.0]
    assert pd.isna(t.loc[2, "survey_score"])  # not surveyed
    assert t.loc[0, "n_incidents"] == 66
    assert t["n_incidents"].isna().tolist() == [False, True, True]
    shown = display_table3(t, codebook)
    assert shown["RQ"].tolist() == ["Concerns", "Practices", ""]
    assert shown["Theme"].tolist() == ["Concern theme", "Practice theme", ""]
    assert shown["Survey score"].tolist() == ["4.50", "3.00", "---"]
    assert shown["# AI incidents"].tolist() == ["66", "---", "---"]


def test_pick_wave():
    df = pd.DataFrame({"wave": ["wave1", "wave1"], "item_id": ["a", "b"], "mean": [1, 2]})
    assert len(pick_wave(df, "all")) == 2  # a single wave stands for all
    two = pd.concat([df, df.assign(wave="wave2")])
    with pytest.raises(InputError, match="no rows for wave"):
        pick_wave(two, "all")
    assert pick_wave(two, "wave2")["wave"].unique().tolist() == ["wave2"]


def test_note_defines_score_and_names_swapped_cells():
    claims = pd.DataFrame(
        {
            "claim_id": ["T3_survey__p1", "T3_survey__p2", "C001"],
            "published": ["3.07", "3.04", "18"],
            "note": ["likely swapped with p2", "", "swapped elsewhere"],
        }
    )
    note = table3_note(claims, {"p1": "Practice one"})
    assert "mean of its three context means" in note
    assert "Practice one (printed 3.07)" in note
    assert "p2" not in note


def test_latex_groups_subthemes_under_their_theme(codebook):
    t = pd.DataFrame(
        {
            "rq": ["RQ1", "RQ2", "RQ2"],
            "theme_id": ["t_concern", "t_practice", "t_practice"],
            "subtheme_id": ["c1", "p1", "p2"],
            "subtheme": ["Concern one", "Practice one", "Practice two"],
            "n_participants": pd.array([7, 9, 3], dtype="Int64"),
            "survey_score": [4.5, 3.0, None],
            "n_incidents": pd.array([66, None, None], dtype="Int64"),
        }
    )
    tex = table3_latex(display_table3(t, codebook), caption="C", label="tab:x", note="N 50%")
    lines = tex.splitlines()
    assert r"\textbf{Concerns} & \multicolumn{4}{l}{\textit{Concern theme}} \\" in lines
    assert r" & \quad Concern one & 7 & 4.50 & 66 \\" in lines
    assert r" & \quad Practice two & 3 & --- & --- \\" in lines
    assert sum(line == r"\midrule" for line in lines) == 2  # one rule per RQ
    assert r"\footnotesize N 50\%" in tex
