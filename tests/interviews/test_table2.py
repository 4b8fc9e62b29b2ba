"""Table 2 ordering and the demographic counts on a hand-made participant list."""

import pandas as pd
import pytest

from downstream_safety.interviews.numbers import _key
from downstream_safety.interviews.table2 import build_table2, demographics

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
    t = build_table2(P)
    assert t["participant_id"].tolist() == ["P1", "P2", "P10"]
    assert "interview_order" not in t.columns and "channel" not in t.columns


def test_demographics_counts():
    d = demographics(P).set_index(["variable", "level"])
    assert d.at[("degree", "PhD"), "n"] == 2
    assert d.at[("degree", "Bachelor"), "n"] == 0
    assert d.at[("org_size", "Large"), "pct"] == pytest.approx(200 / 3)
    assert d.at[("domain", "CV, NLP"), "n"] == 1
    assert d.at[("domain_any", "NLP"), "n"] == 3
    assert d.at[("domain_any", "CV"), "n"] == 1
    assert d.at[("channel", "network"), "n"] == 1


def test_number_keys():
    assert _key("CV, NLP") == "cv_nlp"
    assert _key("25+") == "25_plus"
    assert _key("Open-source") == "open_source"
