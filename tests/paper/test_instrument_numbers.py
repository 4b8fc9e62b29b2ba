"""Instrument counts against the paper's Table 1 and codebook (counted by hand)."""

from __future__ import annotations

import pandas as pd

from downstream_safety.common.tableio import read_table
from downstream_safety.instruments import schemas
from downstream_safety.paper.instrument_numbers import audit_numbers, instrument_numbers
from downstream_safety.paths import RAW
from tests.incidents.helpers import paper_design


def test_instrument_counts():
    protocol = read_table(RAW / "instruments" / "protocol.csv", schemas.PROTOCOL)
    df = instrument_numbers(protocol, paper_design())
    v = dict(zip(df["key"], df["value"], strict=True))
    assert [v[f"protocol__questions__{t}"] for t in ["background", "concerns", "practices"]] == [
        5,
        4,
        12,
    ]
    assert v["protocol__questions__challenges"] == 3
    assert v["protocol__questions__total"] == 24
    assert (v["codebook__rqs"], v["codebook__themes"], v["codebook__subthemes"]) == (3, 13, 34)
    assert [v[f"codebook__rq{i}__subthemes"] for i in (1, 2, 3)] == [8, 15, 11]
    assert [v[f"codebook__rq{i}__themes"] for i in (1, 2, 3)] == [3, 5, 5]
    assert v["survey_items__n"] == 43  # 8 + 8 x 3 + 11
    assert (v["survey_items__importance"], v["survey_items__frequency"]) == (8, 24)
    assert v["scale_points__importance5"] == 5 and v["scale_points__frequency4"] == 4
    assert df["key"].is_monotonic_increasing


def test_audit_counts():
    claims = pd.DataFrame(
        {
            "claim_id": ["C1", "C2", "C3", "C4", "C5"],
            "number_key": ["incidents__n", "incidents__n", "kappa", "", "protocol__n"],
            "basis": ["reconstructed", "reconstructed", "reconstructed", "design", "instrument"],
            "status": ["reproduced", "reproduced", "differs", "not_computable", "reproduced"],
        }
    )
    audit = pd.DataFrame(
        {
            "check": ["grim", "grim", "statcheck"],
            "result": ["consistent", "inconsistent", "consistent"],
        }
    )
    v = dict(zip(*audit_numbers(claims, audit)[["key", "value"]].T.values, strict=True))
    assert v["claims__total"] == 5 and v["claims__reproduced"] == 3
    assert v["claims__differs"] == 1 and v["claims__not_computable"] == 1
    assert v["claims__reproduced_assuming"] == 0
    # The incident total printed twice is one quantity.
    assert v["quantities__reconstructed"] == 2
    assert v["quantities__reconstructed__reproduced"] == 1
    assert v["quantities__reconstructed__differs"] == 1
    assert v["quantities__instrument__reproduced"] == 1
    assert v["quantities__design__not_computable"] == 1
    assert v["quantities__real"] == 0 and v["quantities__real__reproduced"] == 0
    assert v["audit__grim__n"] == 2 and v["audit__grim__inconsistent"] == 1
    assert v["audit__statcheck__consistent"] == 1 and v["audit__grimmer__n"] == 0
