"""The claims audit on hand-made frames, and the published registry itself."""

from __future__ import annotations

import pandas as pd

from downstream_safety.paper.claims import audit_claims, evaluate
from downstream_safety.paper.load import load_grim_samples, load_published_claims
from downstream_safety.paths import RAW

CLAIMS = RAW / "published" / "claims.csv"
SAMPLES = RAW / "published" / "grim_samples.csv"

COLS = ["claim_id", "section", "quantity", "published", "unit", "number_key", "note"]


def _claims(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLS)


def test_statuses_on_hand_made_claims():
    claims = _claims(
        [
            ("C001", "s", "q", "2.55", "%", "rate", ""),
            ("C002", "s", "q", "96", "%", "share", "known: impossible at n = 86"),
            ("C003", "s", "q", "3.00", "mean", "absent", ""),
            ("C004", "s", "q", "20", "USD", "", "not in the data"),
            ("C005", "s", "q", "5", "count", "sub(n,sat)", ""),
            ("C006", "s", "q", "13", "count", "max(a,b)", ""),
        ]
    )
    values = {"rate": 100 * 17 / 667, "share": 100 * 82 / 86, "n": 18, "sat": 13, "a": 13, "b": 12}
    out = audit_claims(claims, values).set_index("claim_id")
    assert out.loc["C001", ["computed", "status"]].tolist() == ["2.55", "reproduced"]
    # 95.35 prints as 95: differs, with the known note and the unrounded value.
    assert out.loc["C002", "computed"] == "95"
    assert out.loc["C002", "status"] == "differs"
    assert out.loc["C002", "note"].startswith("known: impossible at n = 86; computed 95.3488")
    assert out.loc["C003", "status"] == "not_computable"
    assert "no computed value" in out.loc["C003", "note"]
    assert out.loc["C004", ["status", "note"]].tolist() == ["not_computable", "not in the data"]
    assert out.loc["C005", ["computed", "status"]].tolist() == ["5", "reproduced"]
    assert out.loc["C006", ["computed", "status"]].tolist() == ["13", "reproduced"]


def test_every_non_reproduced_claim_has_a_note():
    claims = _claims(
        [("C001", "s", "q", "7", "count", "", ""), ("C002", "s", "q", "7", "count", "k", "")]
    )
    out = audit_claims(claims, {"k": 8.0})
    assert (out["note"].str.len() > 0).all()


def test_rank_expression_reverses_the_published_sentence():
    values = {"incidents__reliability": 440, "incidents__harmful_output": 283, "incidents__x": 300}
    ids = ["reliability", "harmful_output", "x"]
    got = evaluate("rank(incidents__reliability,incidents__harmful_output)", values, ids)
    assert got.text == "first and third"
    claims = _claims(
        [
            (
                "C092",
                "s",
                "q",
                "second and first",
                "rank",
                "rank(incidents__reliability,incidents__harmful_output)",
                "reversed",
            )
        ]
    )
    out = audit_claims(claims, values, ["reliability", "harmful_output"])
    assert out.loc[0, ["computed", "status"]].tolist() == ["first and second", "differs"]


def test_fraction_comparator():
    claims = _claims([("C093", "s", "q", "> half", "fraction", "incidents_pct__r", "")])
    assert audit_claims(claims, {"incidents_pct__r": 50.34}).loc[0, "status"] == "reproduced"
    assert audit_claims(claims, {"incidents_pct__r": 49.9}).loc[0, "status"] == "differs"


def test_registry_covers_the_paper():
    claims = load_published_claims(CLAIMS)
    ids = claims["claim_id"]
    registry = ids[ids.str.startswith("C")]
    assert len(registry) == 141  # C001-C140 plus C020a
    assert {f"C{i:03d}" for i in range(1, 141)} | {"C020a"} == set(registry)
    assert ids.str.startswith("T3_participants__").sum() == 34
    assert ids.str.startswith("T3_survey__").sum() == 27
    assert ids.str.startswith("T3_incidents__").sum() == 8
    # A claim left without a key must say why.
    unmapped = claims[claims["number_key"] == ""]
    assert (unmapped["note"].str.len() > 0).all(), unmapped["claim_id"].tolist()


def test_registry_values_as_printed():
    claims = load_published_claims(CLAIMS).set_index("claim_id")
    assert claims.loc["C096", "published"] == "3.00"
    assert claims.loc["C108", "published"] == "0.30"
    assert claims.loc["T3_survey__monitoring_system_gap", "published"] == "4.20"
    assert claims.loc["T3_survey__test_evaluate", "published"] == "3.07"
    assert "swapped" in claims.loc["T3_survey__iterative_refinement", "note"]


def test_grim_samples_refer_to_claims():
    samples = load_grim_samples(SAMPLES, CLAIMS)
    claims = load_published_claims(CLAIMS)
    means_and_pcts = claims[claims["unit"].isin(["mean", "%"])]["claim_id"]
    assert set(samples["claim_id"]) == set(means_and_pcts)
