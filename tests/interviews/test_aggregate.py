"""Aggregation on a tiny hand-made codebook and coding."""

import pandas as pd

from downstream_safety.instruments.load import Codebook
from downstream_safety.interviews import aggregate

CODEBOOK = Codebook(
    themes=pd.DataFrame(
        {
            "rq": ["RQ1", "RQ2"],
            "theme_id": ["t1", "t2"],
            "theme_name": ["T1", "T2"],
            "theme_order": [1, 2],
        }
    ),
    subthemes=pd.DataFrame(
        {
            "rq": ["RQ1", "RQ1", "RQ2"],
            "theme_id": ["t1", "t1", "t2"],
            "subtheme_id": ["a", "b", "c"],
            "subtheme_name": ["A", "B", "C"],
            "short_label": ["A", "B", "C"],
            "subtheme_order": [1, 2, 3],
        }
    ),
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
    got = aggregate.codes_per_rq(CODES)
    assert got["n_codes"].tolist() == [2, 2, 0]


def test_theme_counts():
    got = aggregate.theme_participants(SEG, CODES, CODEBOOK).set_index("theme_id")
    assert got.loc["t1"].tolist() == ["RQ1", 2, 2, 2]
    assert got.loc["t2"].tolist() == ["RQ2", 1, 2, 2]


def test_matrix():
    m = aggregate.participant_subtheme_matrix(SEG, PARTICIPANTS, CODEBOOK)
    assert m.columns.tolist() == ["participant_id", "a", "b", "c"]
    assert m.values.tolist() == [["P1", 1, 0, 1], ["P2", 1, 0, 0], ["P3", 0, 0, 1]]
