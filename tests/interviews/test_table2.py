"""Table 2 and its summary on hand-made participant lists: the paper study's fields,
and a study with fields of its own (participant_fields.csv)."""

import shutil

import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.common.number_keys import part as _key
from downstream_safety.common.tableio import read_table, validate
from downstream_safety.instruments.design import design_tables, load_design
from downstream_safety.instruments.participant_fields import load_participant_fields
from downstream_safety.interviews import schemas
from downstream_safety.interviews.table2 import (
    build_table2,
    demographics,
    display_demographics,
    display_table2,
)
from downstream_safety.paths import RAW
from tests.interviews.helpers import paper_design

P = pd.DataFrame(
    {
        "participant_id": ["P10", "P2", "P1"],
        "interview_order": [1, 2, 3],
        "channel": ["network", "hugging_face", "hugging_face"],
        "dl_experience_years": [1, 2, 3],
        "se_experience_years": [4, 5, 6],
        "n_ai_software": ["25+", "1-5", "1-5"],
        "degree": ["PhD", "PhD", "Master"],
        "org_size": ["Large", "Small", "Large"],
        "domain": ["CV, NLP", "NLP", "NLP"],
    }
)


def test_table2_in_participant_number_order():
    t = build_table2(P, paper_design())
    assert t["participant_id"].tolist() == ["P1", "P2", "P10"]
    assert "interview_order" not in t.columns and "channel" not in t.columns
    headers = display_table2(t, paper_design()).columns.tolist()
    assert headers == ["ID", "DL Exp.", "SE Exp.", "# AI software", "Degree", "Org. Size",
                       "Domain"]  # fmt: skip


def test_demographics_counts():
    d = demographics(P, paper_design()).set_index(["variable", "level"])
    assert d.at[("degree", "PhD"), "n"] == 2
    assert d.at[("degree", "Bachelor"), "n"] == 0
    assert d.at[("org_size", "Large"), "pct"] == pytest.approx(200 / 3)
    assert d.at[("domain", "CV, NLP"), "n"] == 1
    assert d.at[("domain_any", "NLP"), "n"] == 3
    assert d.at[("domain_any", "CV"), "n"] == 1
    assert d.at[("channel", "network"), "n"] == 1
    order = list(dict.fromkeys(v for v, _ in d.index))
    assert order == ["degree", "org_size", "n_ai_software", "channel", "domain", "domain_any"]


def test_number_keys():
    assert _key("CV, NLP") == "cv_nlp"
    assert _key("25+") == "25_plus"
    assert _key("Open-source") == "open_source"


OWN_FIELDS = """\
field_id,kind,table2_order,table2_label,summary_order,summary_label,option_order,option_label
role,choice,2,Role,1,Role,1,Researcher
role,choice,2,Role,1,Role,2,Engineer
role,choice,2,Role,1,Role,3,Manager
ml_years,count,1,ML years,,,,
tools,list,,,2,Tools,,
"""


@pytest.fixture
def own_design(tmp_path):
    inst = tmp_path / "instruments"
    shutil.copytree(RAW / "instruments", inst)
    (inst / "participant_fields.csv").write_text(OWN_FIELDS)
    return load_design(design_tables(inst))


def test_a_study_with_its_own_fields(own_design, tmp_path):
    csv = tmp_path / "participants.csv"
    csv.write_text(
        "participant_id,interview_order,role,ml_years,tools\n"
        'P2,1,Engineer,3,"Jupyter, Git"\n'
        "P1,2,Engineer,10,Git\n"
        "P3,3,Manager,0,Git\n"
    )
    from downstream_safety.interviews.load import load_participants

    people = load_participants(csv, own_design)
    t = build_table2(people, own_design)
    assert t.columns.tolist() == ["participant_id", "ml_years", "role"]  # table2_order
    assert display_table2(t, own_design).columns.tolist() == ["ID", "ML years", "Role"]
    assert t["participant_id"].tolist() == ["P1", "P2", "P3"]
    d = demographics(people, own_design)
    counts = {(r.variable, r.level): r.n for r in d.itertuples()}
    assert counts == {
        ("role", "Researcher"): 0, ("role", "Engineer"): 2, ("role", "Manager"): 1,
        ("tools", "Git"): 2, ("tools", "Git, Jupyter"): 1,
        ("tools_any", "Git"): 3, ("tools_any", "Jupyter"): 1,
    }  # fmt: skip
    shown = display_demographics(d, own_design)["Variable"].drop_duplicates().tolist()
    assert shown == ["Role", "Tools (combination)", "Tools (involved)"]
    validate(t, schemas.table2_schema(own_design), "table2.csv")


def test_answers_outside_the_fields_are_refused(own_design, tmp_path):
    csv = tmp_path / "participants.csv"
    csv.write_text("participant_id,interview_order,role,ml_years,tools\nP1,1,Intern,3,Git\n")
    with pytest.raises(InputError) as err:
        read_table(csv, schemas.participants_schema(own_design))
    assert "role" in str(err.value) and "Intern" in str(err.value)
    csv.write_text("participant_id,interview_order,role,ml_years\nP1,1,Engineer,3\n")
    with pytest.raises(InputError, match="tools"):
        read_table(csv, schemas.participants_schema(own_design))


@pytest.mark.parametrize(
    "table, message",
    [
        ("role,choice,1,Role,,,,\n", "needs its options"),
        ("ml_years,count,1,ML,,,1,x\n", "has no options"),
        ("ml_years,count,1,,,,,\n", "table2_label is empty"),
        ("ml_years,count,1,ML,1,ML,,\n", "not summarised"),
        ("participant_id,count,1,ID,,,,\n", "always columns"),
        ("a,count,1,A,,,,\nb,count,1,B,,,,\n", "table2_order used by more than one field"),
        ("r,choice,1,R,1,R,1,x\nr,choice,2,R,1,R,2,y\n", "disagree"),
    ],
)
def test_bad_field_tables(tmp_path, table, message):
    path = tmp_path / "participant_fields.csv"
    path.write_text(OWN_FIELDS.splitlines()[0] + "\n" + table)
    with pytest.raises(InputError, match=message) as err:
        load_participant_fields(path)
    assert "participant_fields.csv" in str(err.value) and "fix:" in str(err.value)
