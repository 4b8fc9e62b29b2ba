"""The claims audit on hand-made frames, and the published registry itself."""

from __future__ import annotations

import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.paper.claims import audit_claims, distinct_counts, evaluate, headline
from downstream_safety.paper.consistency import grim, grim_percent
from downstream_safety.paper.load import (
    check_assumptions,
    check_published,
    load_grim_samples,
    load_published_claims,
)
from downstream_safety.paths import RAW

CLAIMS = RAW / "published" / "claims.csv"
SAMPLES = RAW / "published" / "grim_samples.csv"

COLS = ["claim_id", "section", "quantity", "published", "unit", "number_key", "note"]


def _claims(rows, basis="reconstructed", assumption="") -> pd.DataFrame:
    """Hand-made registry rows; a claim without a key is a design claim."""
    df = pd.DataFrame(rows, columns=COLS)
    df["basis"] = [basis if k else "design" for k in df["number_key"]]
    df["assumption"] = assumption
    return df


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
    registry = ids[ids.str.fullmatch(r"C[0-9]{3}")]
    # C001-C140; a number the paper does not print (such as 5 + 4 + 12 + 3) is no entry.
    assert len(registry) == 140
    assert {f"C{i:03d}" for i in range(1, 141)} == set(registry)
    # Rankings stated in words beside a share ("most frequent", "third most frequent").
    assert set(ids[ids.str.fullmatch(r"C[0-9]{3}[a-z]")]) == {"C084a", "C086a"}
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


# --- evidence basis ---------------------------------------------------------


def test_design_claim_is_never_reproduced_even_if_the_data_read_it_back():
    claims = _claims([("C068", "s", "annotators", "2", "count", "annotation__annotators", "")])
    claims["basis"] = "design"
    claims["note"] = "a generator setting"
    out = audit_claims(claims, {"annotation__annotators": 2.0})
    assert out.loc[0, ["status", "computed", "evidence_of"]].tolist() == [
        "not_computable",
        "",
        "nothing",
    ]


def test_evidence_follows_the_basis():
    claims = _claims([("C001", "s", "q", "3", "count", "k", "")], basis="instrument")
    claims = pd.concat([claims, _claims([("C002", "s", "q", "3", "count", "k", "")])])
    out = audit_claims(claims.reset_index(drop=True), {"k": 3.0}).set_index("claim_id")
    assert out.loc["C001", ["basis", "evidence_of"]].tolist() == ["instrument", "transcription"]
    assert out.loc["C002", "evidence_of"] == "analysis_code"


def test_registry_bases():
    c = load_published_claims(CLAIMS).set_index("claim_id")
    # Counts of instrument tables typed in from the paper.
    for cid in ["C009", "C013", "C017", "C018", "C019", "C020", "C021", "C046", "C120"]:
        assert c.loc[cid, "basis"] == "instrument", cid
    # Generator settings read back: design, with no key to compare.
    for cid in ["C068", "C071"]:
        assert c.loc[cid, ["basis", "number_key"]].tolist() == ["design", ""], cid
    assert c.loc["C001", "basis"] == "reconstructed"
    assert c.loc["T3_incidents__reliability", "basis"] == "reconstructed"
    # The registry holds the published values; rows of basis real are added to
    # paper/claims.csv from the incident stage's real-data checks, never typed in here.
    assert (c["basis"] == "real").sum() == 0


def test_every_grim_impossible_claim_names_its_assumption():
    """The claims GRIM finds impossible at the paper's stated n (hand-checked:
    C075 96% and C105 3.04 at n = 86) must carry missing_answers, so that they
    can never come out plainly reproduced."""
    claims = load_published_claims(CLAIMS).set_index("claim_id")
    samples = load_grim_samples(SAMPLES, CLAIMS).set_index("claim_id")
    impossible = []
    for cid, row in samples[samples["items"] == 1].iterrows():
        pub, unit = claims.loc[cid, "published"], claims.loc[cid, "unit"]
        ok = grim_percent(pub, int(row["n"])) if unit == "%" else grim(pub, int(row["n"]))
        if not ok:
            impossible.append(cid)
    assert impossible == ["C075", "C105"]
    assert claims.loc[impossible, "assumption"].tolist() == ["missing_answers=1"] * 2


# --- assumptions ---------------------------------------------------------------


def test_missing_answer_share_is_reproduced_only_assuming():
    # 83 of 86 = 96.51% prints 97; without one of the 83, 82/85 = 96.47% prints 96.
    claims = _claims(
        [
            ("C075", "s", "q", "96", "%", "pct_top2__x", "impossible at n = 86"),
            ("C076", "s", "q", "94", "%", "pct_top2__x", ""),
        ],
        assumption="missing_answers=1",
    )
    values = {"pct_top2__x": 100 * 83 / 86, "n_valid__x": 86.0}
    out = audit_claims(claims, values).set_index("claim_id")
    assert out.loc["C075", ["computed", "status"]].tolist() == ["97", "reproduced_assuming"]
    note = out.loc["C075", "note"]
    assert note.startswith("impossible at n = 86; reproduced only assuming 1 missing answer")
    assert "96.4706 (n = 85)" in note
    # 94 is reachable neither from 83/86 nor from 82/85 or 83/85: differs.
    assert out.loc["C076", "status"] == "differs"


def test_missing_answer_mean_drops_only_answers_that_exist():
    # Counts by hand: 5 x 1, 19 x 2, 30 x 3, 32 x 4 -> n = 86, sum 261, mean 3.0349 ("3.03").
    # Without one 3: 258/85 = 3.0353 ("3.04"); without a 1, 2 or 4: 3.06, 3.05, 3.02.
    answers = {"x": {1: 5, 2: 19, 3: 30, 4: 32}, "y": {1: 3, 2: 10, 3: 0, 4: 73}}
    values = {"mean__x": 261 / 86, "mean__y": 315 / 86}
    rows = [
        ("C105", "s", "q", "3.04", "mean", "mean__x", ""),
        ("C106", "s", "q", "3.08", "mean", "mean__x", ""),
        # y: 315/86 = 3.6628 ("3.66"); without a 1, 2 or 4: 3.69, 3.68, 3.66. Only
        # removing a 3 (312/85 = 3.6706) prints 3.67, and y has no 3.
        ("C107", "s", "q", "3.67", "mean", "mean__y", ""),
    ]
    claims = _claims(rows, assumption="missing_answers=1")
    out = audit_claims(claims, values, answers=answers).set_index("claim_id")
    assert out.loc["C105", ["computed", "status"]].tolist() == ["3.03", "reproduced_assuming"]
    assert "3.03529 (n = 85)" in out.loc["C105", "note"]
    assert out.loc["C106", "status"] == "differs"
    assert out.loc["C107", "status"] == "differs"


def test_contradictory_shares_label_the_reconstructions_choice():
    # 51/26/13/12 % of 86 need 44 + 22 + 11 + 10 = 87 respondents (hand count).
    # The data: 43, 22, 11, 10 -> 50.0, 25.6, 12.8, 11.6 %.
    rows = [
        ("C054", "s", "q", "51", "%", "demo_pct__a", "sums to 102%"),
        ("C055", "s", "q", "26", "%", "demo_pct__b", "sums to 102%"),
        ("C056", "s", "q", "13", "%", "demo_pct__c", "sums to 102%"),
        ("C057", "s", "q", "12", "%", "demo_pct__d", "sums to 102%"),
    ]
    claims = _claims(rows, assumption="one_of=ai")
    values = {f"demo_pct__{k}": 100 * c / 86 for k, c in zip("abcd", [43, 22, 11, 10], strict=True)}
    samples = {cid: 86 for cid, *_ in rows}
    out = audit_claims(claims, values, samples=samples).set_index("claim_id")
    assert out.loc["C054", "status"] == "differs"
    assert "the reconstruction chose this share to miss" in out.loc["C054", "note"]
    assert "need 87 respondents of n = 86" in out.loc["C054", "note"]
    for cid in ["C055", "C056", "C057"]:
        assert out.loc[cid, "status"] == "reproduced_assuming", cid
        assert "reconstruction's choice" in out.loc[cid, "note"]


# --- distinct counts -------------------------------------------------------------


def test_distinct_quantities_count_a_repeated_number_once():
    claims = _claims(
        [
            ("C001", "s", "q", "874", "count", "incidents__n", ""),
            ("C002", "s", "q", "874", "count", "incidents__n", ""),
            ("C003", "s", "q", "874", "count", "incidents__n", ""),
            ("C004", "s", "q", "18", "count", "n_participants", ""),
            ("C005", "s", "q", "9", "count", "n_participants", ""),
            ("C006", "s", "q", "20", "USD", "", "not in the data"),
        ]
    )
    out = audit_claims(claims, {"incidents__n": 874.0, "n_participants": 18.0})
    counts = distinct_counts(out).set_index(["basis", "status"])
    assert counts.loc[("reconstructed", "reproduced"), ["claims", "quantities"]].tolist() == [4, 2]
    assert counts.loc[("reconstructed", "differs"), ["claims", "quantities"]].tolist() == [1, 1]
    assert counts.loc[("design", "not_computable"), ["claims", "quantities"]].tolist() == [1, 1]
    text = headline(out)
    # n_participants is reproduced by C004 and differs in C005: 2 distinct quantities in all.
    assert text.startswith("2 distinct published quantities recomputed from reconstructed")
    assert "(2 reproduced, 0 only under a stated assumption, 1 differ)" in text
    assert text.endswith("No published claim was checked against real data.")


def test_real_checks_become_claims_of_basis_real_and_the_headline_counts_them():
    from downstream_safety.paper.claims import real_claims

    published = _claims(
        [
            ("C001", "s", "incidents", "874", "count", "incidents__n", ""),
            ("C002", "s", "share", "50.3", "%", "incidents_pct__r", ""),
            ("C003", "s", "kappa", "0.71", "kappa", "kappa__calibration", ""),
        ]
    )
    audited = audit_claims(published, {"incidents__n": 874.0, "incidents_pct__r": 50.3})
    checks = pd.DataFrame(
        {
            "claim_id": ["C001", "C002", "C003"],
            "compared": ["total", "share", "kappa"],
            "published": ["874", "50.3", "0.71"],
            "real": ["902", "40.3; 40.9; 37.0", ""],
            "verdict": ["mixed", "contradicted", "not_checkable"],
            "reason": ["window", "none within", "not public"],
        }
    )
    real = real_claims(published, checks)
    assert real["claim_id"].tolist() == ["C001_real", "C002_real", "C003_real"]
    assert (real["basis"] == "real").all() and (real["evidence_of"] == "replication").all()
    assert real["status"].tolist() == ["mixed", "contradicted", "not_checkable"]
    assert real["number_key"].tolist() == [
        "real__incidents__n",
        "real__incidents_pct__r",
        "real__kappa__calibration",
    ]
    both = pd.concat([audited, real], ignore_index=True)
    # the reconstructed rows keep their statuses
    assert both.loc[:2, "status"].tolist() == audited["status"].tolist()
    assert audited["status"].tolist() == ["reproduced", "reproduced", "not_computable"]
    text = headline(both)
    assert text.endswith(
        "3 published incident claims checked against real AIID labels: 0 corroborated, "
        "1 contradicted, 1 mixed, 1 not checkable."
    )
    from downstream_safety.paper.schemas import CLAIMS as CLAIMS_SCHEMA

    CLAIMS_SCHEMA.validate(both)


# --- registry checks of the assumptions -------------------------------------------------


def _registry(rows, assumption):
    claims = _claims(rows, assumption=assumption)
    samples = pd.DataFrame({"claim_id": claims["claim_id"], "n": 86, "items": 1, "basis": "b"})
    return claims, samples


def test_a_group_that_can_all_hold_is_rejected():
    # 50% + 50% of 86: 43 + 43 = 86 respondents, no contradiction, so no assumption.
    rows = [
        ("C054", "s", "q", "50", "%", "demo_pct__a", ""),
        ("C055", "s", "q", "50", "%", "demo_pct__b", ""),
    ]
    claims, samples = _registry(rows, "one_of=g")
    with pytest.raises(InputError) as e:
        check_assumptions(claims, samples, "claims.csv")
    assert e.value.column == "assumption" and e.value.rows == [2, 3]
    assert "need only 86 respondents of n = 86" in e.value.problem


def test_a_contradictory_group_is_accepted():
    rows = [
        ("C062", "s", "q", "40", "%", "demo_pct__a", ""),
        ("C063", "s", "q", "21", "%", "demo_pct__b", ""),
        ("C064", "s", "q", "21", "%", "demo_pct__c", ""),
        ("C065", "s", "q", "20", "%", "demo_pct__d", ""),
    ]
    claims, samples = _registry(rows, "one_of=se")
    check_assumptions(claims, samples, "claims.csv")  # 34 + 18 + 18 + 17 = 87 > 86


def test_missing_answers_only_on_survey_items():
    claims, samples = _registry([("C003", "s", "q", "874", "%", "incidents__n", "")], "")
    claims["assumption"] = "missing_answers=1"
    with pytest.raises(InputError) as e:
        check_assumptions(claims, samples, "claims.csv")
    assert e.value.column == "number_key" and e.value.values == ["incidents__n"]


def test_parse_time_check_checks_the_assumptions(tmp_path):
    """check_published (what paper.smk runs at parse time) rejects a registry
    whose one_of group is not contradictory: C054's group reduced to one share."""
    check_published(CLAIMS, SAMPLES)  # the shipped registry passes
    text = CLAIMS.read_text(encoding="utf-8")
    bad = tmp_path / "claims.csv"
    bad.write_text(
        text.replace("one_of=ai_projects", "").replace(
            "demo_pct__ai_projects__1_5,reconstructed,,",
            "demo_pct__ai_projects__1_5,reconstructed,one_of=ai_projects,",
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        check_published(bad, SAMPLES)
    assert e.value.column == "assumption" and e.value.values == ["C054"]
