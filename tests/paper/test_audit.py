"""audit.csv rows on hand-made claims, numbers and test results."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.paper.audit import build_audit
from downstream_safety.paper.load import load_grim_samples, load_published_claims
from downstream_safety.paths import RAW

CLAIMS = pd.DataFrame(
    {
        "claim_id": ["C105", "C075", "C074", "C102", "C093"],
        "section": ["s"] * 5,
        "quantity": ["q"] * 5,
        "published": ["3.04", "96", "97", "3.25", "> half"],
        "unit": ["mean", "%", "%", "mean", "fraction"],
        "number_key": ["k"] * 5,
        "note": [""] * 5,
    }
)
SAMPLES = pd.DataFrame(
    {
        "claim_id": ["C105", "C075", "C074", "C102"],
        "n": [86, 86, 86, 86],
        "items": [1, 1, 1, 3],
        "basis": ["survey"] * 4,
    }
)


def _tests(z: float, p: float, n: int = 50) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "wave": ["all"],
            "practice": ["documentation"],
            "concern_a": ["behaviour"],
            "concern_b": ["data"],
            "n_pairs": [n],
            "p_value": [p],
            "effect_size_r": [z / math.sqrt(n)],
            "z": [z],
        }
    )


def test_grim_rows_for_published_values():
    audit = build_audit(CLAIMS, SAMPLES, {}, None)
    grim = audit[audit["check"] == "grim"].set_index("target")
    assert grim.loc["C105", "result"] == "inconsistent"
    assert "possible with n = 85" in grim.loc["C105", "note"]
    assert grim.loc["C075", "result"] == "inconsistent"
    assert grim.loc["C074", "result"] == "consistent"  # 83/86 = 96.5%
    assert grim.loc["C102", "result"] == "consistent"
    assert "uninformative" in grim.loc["C102", "note"]
    assert "C093" not in grim.index  # not a single number


def test_grimmer_is_not_applicable_without_sds():
    audit = build_audit(CLAIMS, SAMPLES, {}, None)
    grimmer = audit[audit["check"] == "grimmer"]
    assert sorted(grimmer["target"]) == ["C102", "C105"]
    assert (grimmer["result"] == "not_applicable").all()
    assert grimmer["note"].str.contains("no standard deviation").all()


def test_grim_on_package_numbers():
    values = {"mean__x": 258 / 85, "n_valid__x": 85, "mean__y": 3.0349, "n_valid__y": 86}
    audit = build_audit(CLAIMS.iloc[:0], SAMPLES.iloc[:0], values, None).set_index("target")
    assert audit.loc["mean__x", "result"] == "consistent"
    # 3.0349 renders as 3.03; 261/86 = 3.0349 -> consistent too.
    assert audit.loc["mean__y", ["reported", "result"]].tolist() == ["3.03", "consistent"]
    bad = build_audit(CLAIMS.iloc[:0], SAMPLES.iloc[:0], {"mean__z": 3.04, "n_valid__z": 86}, None)
    assert bad.loc[0, "result"] == "inconsistent"


def test_statcheck_recomputes_p_from_z():
    # 2 * norm.sf(2.3849) = 0.0171 -> matches "0.017".
    ok = build_audit(CLAIMS.iloc[:0], SAMPLES.iloc[:0], {}, _tests(2.3849, 0.01708))
    assert ok.loc[0, ["reported", "result"]].tolist() == ["0.017", "consistent"]
    # Independent of scipy: the two-sided normal p is erfc(|z| / sqrt(2)).
    assert ok.loc[0, "recomputed"] == f"{math.erfc(2.3849 / math.sqrt(2)):.6f}"
    # A p that does not belong to its z: 2 * norm.sf(1.5) = 0.1336.
    bad = build_audit(CLAIMS.iloc[:0], SAMPLES.iloc[:0], {}, _tests(1.5, 0.03))
    assert bad.loc[0, "result"] == "inconsistent"
    assert "decision error" in bad.loc[0, "note"]


def test_statcheck_falls_back_to_r():
    tests = _tests(2.3849, 0.01708).drop(columns=["z"])
    out = build_audit(CLAIMS.iloc[:0], SAMPLES.iloc[:0], {}, tests)
    assert out.loc[0, "result"] == "consistent"
    assert "no z column" in out.loc[0, "note"]


def test_bad_registry_is_an_input_error(tmp_path):
    bad = tmp_path / "claims.csv"
    bad.write_text(
        "claim_id,section,quantity,published,unit,number_key,note\n"
        "C001,Abstract,x,18,count,n_participants,\n"
        "C001,Abstract,x,18,parsecs,Bad Key,\n"
    )
    with pytest.raises(InputError) as err:
        load_published_claims(bad)
    text = str(err.value)
    assert "claim_id" in text and "unit" in text and "number_key" in text
    samples = tmp_path / "grim_samples.csv"
    samples.write_text("claim_id,n,items,basis\nC999,86,1,x\n")
    with pytest.raises(InputError, match="not in the claims registry"):
        load_grim_samples(samples, RAW / "published" / "claims.csv")
