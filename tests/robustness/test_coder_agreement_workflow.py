"""The coder-agreement conclusions through the workflow: a two-coder REFI-QDA project
(``tests/interviews/coder_projects``), a kappa threshold of 0.65, robustness on.

By hand, from the spans of ``coder_projects`` (ana | ben, characters per 2x2 cell
``both, neither, only_a, only_b``), subtheme T (codes C1, C2) and T3 (code C3):

    T  in P_1 (41 chars): ana [5,21)+[27,40) = 29, ben [5,15)+[27,40) = 23 -> 23, 12, 6, 0
    T  in P_2 (20 chars): ana none, ben [10,13) = 3                         ->  0, 17, 0, 3
    T  pooled                                                              -> 23, 29, 6, 3
    T3 in P_1: nobody coded it (left out); in P_2 both [5,19); pooled kappa 1
    C1 pooled kappa 804/1353 = 0.594 (``test_coder_agreement_sources``), C2 and C3 1

so T's pooled kappa 1298/1847 = 0.703 and T3's 1 both reach 0.65: every subtheme
conclusion, and the overall one, is expected to hold. Across specifications:

    T:   pooled yes, P_1 (0.692) yes, P_2 (0) no, C1 no, C2 yes       -> fragile, 3 of 5
    T3:  pooled yes, P_2 yes, C3 yes                                  -> robust, 3 of 3
    all: pooled (lowest 0.703) yes, P_1 (T only, 0.692) yes, P_2 (lowest 0) no,
         lowest code (C1) no                                          -> fragile, 2 of 4
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from tests.interviews import coder_projects as CP
from tests.reliability import workflow_copy as W

pytestmark = pytest.mark.slow

OUT = "data/processed/robustness"
THRESHOLD = 0.65


def kappa(both: int, neither: int, only_a: int, only_b: int) -> float:
    """Cohen's kappa of a 2x2 table by the textbook formula (po - pe) / (1 - pe)."""
    n = both + neither + only_a + only_b
    po = (both + neither) / n
    pe = ((both + only_a) * (both + only_b) + (neither + only_b) * (neither + only_a)) / n**2
    return (po - pe) / (1 - pe)


def _configure(copy, threshold) -> None:
    CP.write_two_coder_project(copy / "data/raw/interviews/two_coders.qdpx")
    path = copy / "config/config.yaml"
    cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    cfg["interviews"].update(
        source="refi_qda",
        refi_qda_project="data/raw/interviews/two_coders.qdpx",
        figure2_example=None,
        coder_agreement={"kappa_threshold": threshold},
    )
    cfg["privacy"]["raw_manifest"] = None
    # The interviews alone keep the run short; links to survey conclusions would be refused.
    cfg["survey"] = None
    cfg["incidents"] = None
    cfg["paper"]["published_claims"] = None
    cfg["paper"]["published_samples"] = None
    cfg["robustness"].update(n_orders=10, claims=[])
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")


def test_coder_agreement_verdicts_by_hand(tmp_path):
    copy = W.make_copy(tmp_path / "copy")
    _configure(copy, THRESHOLD)
    res = W.snakemake(
        copy, "--cores", "2", f"{OUT}/conclusions.csv", f"{OUT}/summary.csv", timeout=1200
    )
    assert res.returncode == 0, res.stderr[-3000:]
    _, code, sub, _ = CP.chosen()
    p1, p2 = (f"{p}.txt" for p in CP.chosen()[0])
    t_pooled, t_p1, t_p2 = kappa(23, 29, 6, 3), kappa(23, 12, 6, 0), kappa(0, 17, 0, 3)
    assert t_pooled == pytest.approx(1298 / 1847) and t_pooled >= THRESHOLD
    assert t_p1 == pytest.approx(552 / 798) and t_p1 >= THRESHOLD and t_p2 == 0
    c1 = kappa(10, 42, 6, 3)
    assert c1 == pytest.approx(804 / 1353) and c1 < THRESHOLD

    t_id, t3_id = (f"coder_agreement__{sub[k].lower()}" for k in ("T", "T3"))
    concl = pd.read_csv(copy / f"{OUT}/conclusions.csv").set_index("conclusion_id")
    mine = concl[concl["family"] == "coder_agreement"]
    assert mine["expected"].to_dict() == {t_id: "holds", t3_id: "holds", "coder_agreement": "holds"}

    specs = pd.read_csv(copy / f"{OUT}/specifications.csv")
    specs = specs[specs["family"] == "coder_agreement"]
    got = {(c, s): (h, v) for c, s, h, v in specs[
        ["conclusion_id", "specification", "holds", "statistic"]].values}  # fmt: skip
    want = {
        (t_id, "kappa_pooled"): (True, t_pooled),
        (t_id, f"kappa_source:{p1}"): (True, t_p1),
        (t_id, f"kappa_source:{p2}"): (False, 0.0),
        (t_id, f"kappa_code:{code['C1']}"): (False, c1),
        (t_id, f"kappa_code:{code['C2']}"): (True, 1.0),
        (t3_id, "kappa_pooled"): (True, 1.0),
        (t3_id, f"kappa_source:{p2}"): (True, 1.0),
        (t3_id, f"kappa_code:{code['C3']}"): (True, 1.0),
        ("coder_agreement", "kappa_pooled"): (True, t_pooled),
        ("coder_agreement", f"kappa_source:{p1}"): (True, t_p1),
        ("coder_agreement", f"kappa_source:{p2}"): (False, 0.0),
        ("coder_agreement", "kappa_code"): (False, c1),
    }
    assert set(got) == set(want)
    for k, (holds, value) in want.items():
        assert got[k][0] == holds, k
        assert got[k][1] == pytest.approx(value, abs=1e-9), k

    summary = pd.read_csv(copy / f"{OUT}/summary.csv").set_index("claim_id")
    assert summary.loc[t_id, "verdict"] == "fragile" and summary.loc[t_id, "n_hold"] == 3
    assert summary.loc[t3_id, "verdict"] == "robust"
    assert summary.loc["coder_agreement", "verdict"] == "fragile"
    assert summary.loc["coder_agreement", "n_hold"] == 2


def test_without_a_threshold_the_table_is_no_robustness_input(tmp_path):
    """Two coders but no threshold: the agreement rule runs for the interviews, and
    the robustness jobs neither need its table nor draw the conclusion."""
    copy = W.make_copy(tmp_path / "copy")
    _configure(copy, None)
    res = W.snakemake(copy, "-n", f"{OUT}/conclusions.csv")
    assert res.returncode == 0, res.stderr[-3000:]
    assert "robustness_conclusions" in res.stdout
    assert "interviews_coder_agreement" not in res.stdout
    with_threshold = W.make_copy(tmp_path / "with")
    _configure(with_threshold, THRESHOLD)
    res = W.snakemake(with_threshold, "-n", f"{OUT}/conclusions.csv")
    assert res.returncode == 0, res.stderr[-3000:]
    assert "interviews_coder_agreement" in res.stdout
