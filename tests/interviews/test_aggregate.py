"""Aggregation on tiny hand-made codebooks and codings, including a fourth
research question with a free-form id."""

import pandas as pd

from downstream_safety.interviews import aggregate
from tests.interviews.helpers import codebook_design

CODEBOOK = codebook_design(
    ["RQ1", "RQ2"],
    [("RQ1", "t1"), ("RQ2", "t2")],
    [("RQ1", "t1", "a"), ("RQ1", "t1", "b"), ("RQ2", "t2", "c")],
)
# P1: a (twice, two codes), c ; P2: a ; P3: nothing in a/b, c with a code used twice
SEG = pd.DataFrame(
    {
        "participant_id": ["P1", "P1", "P1", "P2", "P3", "P3"],
        "rq": ["RQ1", "RQ1", "RQ2", "RQ1", "RQ2", "RQ2"],
        "theme_id": ["t1", "t1", "t2", "t1", "t2", "t2"],
        "subtheme_id": ["a", "a", "c", "a", "c", "c"],
        "code_id": ["k1", "k2", "k3", "k1", "k4", "k4"],
    }
)
CODES = pd.DataFrame(
    {
        "code_id": ["k1", "k2", "k3", "k4", "k5"],
        "rq": ["RQ1", "RQ1", "RQ2", "RQ2", "RQ1"],
        "theme_id": ["t1", "t1", "t2", "t2", "t1"],
        "subtheme_id": ["a", "a", "c", "c", "b"],
        "n_segments": [2, 1, 1, 2, 0],
    }
)
PARTICIPANTS = pd.DataFrame({"participant_id": ["P1", "P2", "P3"], "interview_order": [1, 2, 3]})


def test_subtheme_participants_counts_people_not_segments():
    got = aggregate.subtheme_participants(SEG, CODEBOOK)
    assert got["subtheme_id"].tolist() == ["a", "b", "c"]
    assert got["n_participants"].tolist() == [2, 0, 2]


def test_codes_per_rq_ignores_unused_codes():
    got = aggregate.codes_per_rq(CODES, CODEBOOK.rqs)
    assert got.values.tolist() == [["RQ1", 2], ["RQ2", 2]]


def test_theme_counts():
    got = aggregate.theme_participants(SEG, CODES, CODEBOOK).set_index("theme_id")
    assert got.loc["t1"].tolist() == ["RQ1", 2, 2, 2]
    assert got.loc["t2"].tolist() == ["RQ2", 1, 2, 2]


def test_matrix():
    m = aggregate.participant_subtheme_matrix(SEG, PARTICIPANTS, CODEBOOK)
    assert m.columns.tolist() == ["participant_id", "a", "b", "c"]
    assert m.values.tolist() == [["P1", 1, 0, 1], ["P2", 1, 0, 0], ["P3", 0, 0, 1]]


# A fourth research question with a free-form id ("Q-a"), listed last.
FOUR = codebook_design(
    ["RQ1", "RQ2", "RQ3", "Q-a"],
    [("RQ1", "t1"), ("RQ2", "t2"), ("RQ3", "t3"), ("Q-a", "t4")],
    [
        ("RQ1", "t1", "a"),
        ("RQ2", "t2", "b"),
        ("RQ3", "t3", "c"),
        ("Q-a", "t4", "d"),
        ("Q-a", "t4", "e"),
    ],
)
# P1: a (k1), d (k5); P2: d (k6), e (k7); P3: b (k2), e (k7); P4: a (k1)
SEG4 = pd.DataFrame(
    [
        ("P1", "RQ1", "t1", "a", "k1"),
        ("P1", "Q-a", "t4", "d", "k5"),
        ("P2", "Q-a", "t4", "d", "k6"),
        ("P2", "Q-a", "t4", "e", "k7"),
        ("P3", "RQ2", "t2", "b", "k2"),
        ("P3", "Q-a", "t4", "e", "k7"),
        ("P4", "RQ1", "t1", "a", "k1"),
    ],
    columns=["participant_id", "rq", "theme_id", "subtheme_id", "code_id"],
)
# k3 (RQ3) and k8 (Q-a) are never applied.
CODES4 = pd.DataFrame(
    [
        ("k1", "RQ1", "t1", "a", 2),
        ("k2", "RQ2", "t2", "b", 1),
        ("k3", "RQ3", "t3", "c", 0),
        ("k5", "Q-a", "t4", "d", 1),
        ("k6", "Q-a", "t4", "d", 1),
        ("k7", "Q-a", "t4", "e", 2),
        ("k8", "Q-a", "t4", "e", 0),
    ],
    columns=["code_id", "rq", "theme_id", "subtheme_id", "n_segments"],
)


def test_fourth_rq_codes_per_rq_in_design_order():
    got = aggregate.codes_per_rq(CODES4, FOUR.rqs)
    assert got.values.tolist() == [["RQ1", 1], ["RQ2", 1], ["RQ3", 0], ["Q-a", 3]]


def test_fourth_rq_subtheme_and_theme_participants():
    got = aggregate.subtheme_participants(SEG4, FOUR)
    assert got.values.tolist() == [
        ["RQ1", "t1", "a", 2],
        ["RQ2", "t2", "b", 1],
        ["RQ3", "t3", "c", 0],
        ["Q-a", "t4", "d", 2],
        ["Q-a", "t4", "e", 2],
    ]
    themes = aggregate.theme_participants(SEG4, CODES4, FOUR).set_index("theme_id")
    # t4: 2 subthemes, codes k5 k6 k7 applied, participants P1 P2 P3
    assert themes.loc["t4"].tolist() == ["Q-a", 2, 3, 3]
    assert themes.loc["t3"].tolist() == ["RQ3", 1, 0, 0]
