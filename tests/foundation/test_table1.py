"""Table 1 against the values printed in the paper (typed from the paper, not the code),
and Table 1 of another instrument folder."""

from __future__ import annotations

import shutil

import pytest

from downstream_safety.common.errors import InputError
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


def table1(folder):
    protocol = load_protocol(folder / "protocol.csv", folder / "survey_scales.csv")
    return build_table1(protocol, read_table(folder / "survey_scales.csv", schemas.SCALES))


def test_table1_matches_paper():
    t1 = table1(INSTRUMENTS)
    assert t1["topic"].tolist() == [p[0] for p in PUBLISHED]
    assert t1["n_questions"].tolist() == [p[1] for p in PUBLISHED]
    assert sum(t1["n_questions"]) == 24
    for (_, _, scale), text in zip(PUBLISHED, t1["survey_scale"], strict=True):
        if scale is None:
            assert text == "N/A"
        else:
            points, low, high = scale
            assert text.lower() == f"{points} scale: from {low} to {high}"


def test_table1_of_another_instrument_folder(tmp_path):
    folder = tmp_path / "instruments"
    shutil.copytree(INSTRUMENTS, folder)
    (folder / "survey_scales.csv").write_text(
        "scale_id,code,label\n" + "".join(f"agree7,{i},level {i}\n" for i in range(1, 8))
    )
    (folder / "protocol.csv").write_text(
        "topic_order,topic,n_questions,sample_question,survey_scale_id\n"
        "2,Oversight,6,Who signs off a release?,agree7\n"
        "1,Background,3,What do you build?,\n"
    )
    t1 = table1(folder)
    assert t1.values.tolist() == [
        ["Background", 3, "What do you build?", "N/A"],
        ["Oversight", 6, "Who signs off a release?", "7-point scale: from level 1 to level 7"],
    ]


@pytest.mark.bad_input
def test_protocol_names_a_scale_the_folder_lacks(tmp_path):
    folder = tmp_path / "instruments"
    shutil.copytree(INSTRUMENTS, folder)
    (folder / "protocol.csv").write_text(
        "topic_order,topic,n_questions,sample_question,survey_scale_id\n"
        "1,Oversight,6,Who signs off a release?,agree7\n"
    )
    with pytest.raises(InputError) as err:
        table1(folder)
    msg = str(err.value)
    assert "protocol.csv" in msg and "survey_scale_id" in msg and "agree7" in msg


def test_codebook_shape():
    cb = load_codebook(INSTRUMENTS)
    assert cb.themes.groupby("rq").size().to_dict() == {"RQ1": 3, "RQ2": 5, "RQ3": 5}
    assert cb.subthemes.groupby("rq").size().to_dict() == {"RQ1": 8, "RQ2": 15, "RQ3": 11}


def test_survey_instrument_has_43_items():
    inst = load_survey_instrument(INSTRUMENTS)
    assert len(inst.items) == 43
    assert inst.items["block"].value_counts().to_dict() == {
        "frequency": 24,
        "agreement": 11,
        "importance": 8,
    }
    assert inst.n_levels("frequency4") == 4
    assert inst.label_map("importance5")["Very important"] == 4
