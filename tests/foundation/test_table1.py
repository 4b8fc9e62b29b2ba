"""Table 1 against the values printed in the paper (typed from the paper, not the code)."""

from __future__ import annotations

from downstream_safety.common.tableio import read_table
from downstream_safety.instruments import schemas
from downstream_safety.instruments.load import load_codebook, load_protocol, load_survey_instrument
from downstream_safety.instruments.table1 import build_table1
from downstream_safety.paths import INSTRUMENTS

# Table 1 of the paper: topic, number of questions, scale end points.
PUBLISHED = [
    ("Background", 5, None),
    ("Concerns", 4, ("5-point", "not important at all", "extremely important")),
    (
        "Practices",
        12,
        ("4-point", "i don't do this at all", "i prioritise this as a critical task"),
    ),
    ("Challenges", 3, ("5-point", "strongly disagree", "strongly agree")),
]


def test_table1_matches_paper():
    scales = read_table(INSTRUMENTS / "survey_scales.csv", schemas.SCALES)
    t1 = build_table1(load_protocol(), scales)
    assert t1["topic"].tolist() == [p[0] for p in PUBLISHED]
    assert t1["n_questions"].tolist() == [p[1] for p in PUBLISHED]
    assert sum(t1["n_questions"]) == 24
    for (_, _, scale), text in zip(PUBLISHED, t1["survey_scale"], strict=True):
        if scale is None:
            assert text == "N/A"
        else:
            points, low, high = scale
            assert text.lower() == f"{points} scale: from {low} to {high}"


def test_codebook_shape():
    cb = load_codebook()
    assert cb.themes.groupby("rq").size().to_dict() == {"RQ1": 3, "RQ2": 5, "RQ3": 5}
    assert cb.subthemes.groupby("rq").size().to_dict() == {"RQ1": 8, "RQ2": 15, "RQ3": 11}


def test_survey_instrument_has_43_items():
    inst = load_survey_instrument()
    assert len(inst.items) == 43
    assert inst.items["block"].value_counts().to_dict() == {
        "frequency": 24,
        "agreement": 11,
        "importance": 8,
    }
    assert inst.n_levels("frequency4") == 4
    assert inst.label_map("importance5")["Very important"] == 4
