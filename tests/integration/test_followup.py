"""The example follow-up study runs from its own folder through the module.

The example (examples/followup/) has a design of its own: four research
questions, a 7-point scale, two contexts, 24 interviews, its own screening,
incident labels from RQ2, no recruitment and no published numbers. The
expected values below are computed here from the raw CSV files with the csv
module and plain arithmetic, independently of the package, or are known by
construction of the synthetic data (the screening counts).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path
from statistics import mean

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "followup"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    """A copy of the example in an outside folder, its module pointing at this checkout."""
    dest = tmp_path_factory.mktemp("outside") / "followup"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns(
        "processed", "paper", "logs", ".snakemake", "notebooks"))  # fmt: skip
    snakefile = dest / "Snakefile"
    text = snakefile.read_text()
    assert '"../../Snakefile"' in text
    snakefile.write_text(text.replace('"../../Snakefile"', repr(str(REPO / "Snakefile"))))
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    env.pop("DOWNSTREAM_SAFETY_ROOT", None)
    res = subprocess.run(
        [str(BIN / "snakemake"), "--cores", "2"],
        cwd=dest,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert res.returncode == 0, (res.stdout + res.stderr)[-8000:]
    return dest


def _valid_respondents(raw: Path) -> list[dict[str, str]]:
    rows = _rows(raw / "survey" / "wave1.csv")
    return [r for r in rows if r["agent_experience"] != "None" and r["attention_check"] != "failed"]


def _codes(raw: Path) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for r in _rows(raw / "instruments" / "survey_scales.csv"):
        out.setdefault(r["scale_id"], {})[r["label"]] = int(r["code"])
    return out


def _item_mean(raw: Path, item_id: str) -> float:
    items = {r["item_id"]: r for r in _rows(raw / "instruments" / "survey_items.csv")}
    codes = _codes(raw)[items[item_id]["scale_id"]]
    return mean(codes[r[item_id]] for r in _valid_respondents(raw) if r[item_id] in codes)


def test_screening_follows_the_configured_rules(study):
    # By construction: respondents F001-F004 never built an agent (F004 also failed the
    # attention check and counts under the first rule), F005-F006 failed the check.
    got = {r["wave"]: r for r in _rows(study / "data/processed/survey/screening.csv")}
    assert list(next(iter(got.values()))) == [
        "wave", "recruited", "excluded_no_agents", "excluded_attention", "valid"]  # fmt: skip
    assert got["all"]["recruited"] == "40"
    assert got["all"]["excluded_no_agents"] == "4"
    assert got["all"]["excluded_attention"] == "2"
    assert got["all"]["valid"] == "34"


def test_seven_point_item_statistics(study):
    raw = study / "data/raw"
    summary = {(r["wave"], r["item_id"]): r
               for r in _rows(study / "data/processed/survey/item_summary.csv")}  # fmt: skip
    codes = _codes(raw)["agreement7"]
    answers = [codes[r["obs_no_owner"]] for r in _valid_respondents(raw)
               if r["obs_no_owner"] in codes]  # fmt: skip
    row = summary[("all", "obs_no_owner")]
    assert int(row["n_valid"]) == len(answers)
    assert float(row["mean"]) == pytest.approx(mean(answers), abs=1e-8)
    # "Top two" on a 7-point scale is levels 6 and 7.
    top2 = 100 * sum(a >= 6 for a in answers) / len(answers)
    assert float(row["pct_top2"]) == pytest.approx(top2, abs=1e-7)
    levels = [r for r in _rows(study / "data/processed/survey/item_levels.csv")
              if r["wave"] == "all" and r["item_id"] == "obs_no_owner"]  # fmt: skip
    assert [int(r["level"]) for r in levels] == list(range(1, 8))
    assert [int(r["count"]) for r in levels] == [answers.count(k) for k in range(1, 8)]


def test_two_contexts_give_one_pair_per_safeguard(study):
    raw = study / "data/raw"
    tests = [r for r in _rows(study / "data/processed/survey/practice_tests.csv")
             if r["wave"] == "all"]  # fmt: skip
    assert sorted((r["practice"], r["concern_a"], r["concern_b"]) for r in tests) == [
        ("approval_gates", "production", "prototype"),
        ("sandboxing", "production", "prototype"),
        ("trace_review", "production", "prototype"),
    ]
    codes = _codes(raw)["frequency5"]
    both = [
        r
        for r in _valid_respondents(raw)
        if r["sg_sandboxing_prototype"] in codes and r["sg_sandboxing_production"] in codes
    ]
    row = next(r for r in tests if r["practice"] == "sandboxing")
    assert int(row["n_pairs"]) == len(both)
    assert float(row["mean_a"]) == pytest.approx(
        mean(codes[r["sg_sandboxing_production"]] for r in both), abs=1e-8)  # fmt: skip


def test_every_item_of_a_concern_counts_in_table3(study):
    raw = study / "data/raw"
    table3 = {r["subtheme_id"]: r for r in _rows(study / "paper/tables/table3.csv")}
    expected = (_item_mean(raw, "risk_tool_misuse_files")
                + _item_mean(raw, "risk_tool_misuse_payments")) / 2  # fmt: skip
    assert float(table3["tool_misuse"]["survey_score"]) == pytest.approx(expected, abs=1e-8)
    # The fourth research question was asked in interviews only.
    assert {r["rq"] for r in table3.values()} == {"RQ1", "RQ2", "RQ3", "RQ4"}
    assert table3["shared_benchmarks"]["survey_score"] == ""


def test_interview_aggregates_for_four_research_questions(study):
    raw = study / "data/raw"
    segments = _rows(raw / "interviews" / "coded_segments.csv")
    got = {
        r["subtheme_id"]: int(r["n_participants"])
        for r in _rows(study / "data/processed/interviews/subtheme_participants.csv")
    }
    for sub in ["shared_benchmarks", "incident_reports", "sandboxing"]:
        assert got[sub] == len({s["participant_id"] for s in segments if s["subtheme_id"] == sub})
    per_rq = {
        r["rq"]: int(r["n_codes"])
        for r in _rows(study / "data/processed/interviews/codes_per_rq.csv")
    }
    # Codes applied to at least one key point, per research question.
    used = {(s["rq"], s["code_id"]) for s in segments}
    assert per_rq == {rq: sum(1 for r, _ in used if r == rq) for rq in ["RQ1", "RQ2", "RQ3", "RQ4"]}
    assert per_rq["RQ4"] > 0
    participants = _rows(raw / "interviews" / "participants.csv")
    assert len(participants) == 24


def test_participant_fields_of_its_own(study):
    """Table 2 and its summary follow the follow-up's participant_fields.csv."""
    participants = _rows(study / "data/raw/interviews/participants.csv")
    with (study / "paper/tables/table2.csv").open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == ["participant_id", "ml_years", "coding_years", "role", "team_size",
                      "sector", "tools"]  # fmt: skip
    md = (study / "paper/tables/table2.md").read_text()
    assert "| ID | ML years | Coding years | Role | Team | Sector | Tools |" in md
    summary = {(r["variable"], r["level"]): int(r["n"])
               for r in _rows(study / "data/processed/interviews/demographics.csv")}  # fmt: skip
    variables = list(dict.fromkeys(v for v, _ in summary))
    assert variables == ["role", "team_size", "sector", "tools", "tools_any"]
    for role in ["Researcher", "Engineer", "Manager"]:
        assert summary[("role", role)] == sum(p["role"] == role for p in participants)
    for tool in ["JAX", "PyTorch", "TensorFlow"]:
        expected = sum(tool in p["tools"].split(", ") for p in participants)
        assert summary.get(("tools_any", tool), 0) == expected
    numbers = {r["key"]: r["value"] for r in
               _rows(study / "data/processed/interviews/numbers.csv")}  # fmt: skip
    ml = sorted(int(p["ml_years"]) for p in participants)
    assert float(numbers["ml_years__median"]) == pytest.approx((ml[11] + ml[12]) / 2)


def test_incident_labels_come_from_the_configured_research_question(study):
    raw = study / "data/raw"
    counts = {r["subtheme_id"]: int(r["n_incidents"])
              for r in _rows(study / "data/processed/incidents/subtheme_counts.csv")}  # fmt: skip
    assert list(counts) == ["tool_misuse", "runaway_cost", "prompt_injection", "false_claims"]
    adjudicated = _rows(raw / "incidents" / "adjudicated.csv")
    for sub in counts:
        assert counts[sub] == sum(sub in r["labels"].split(";") for r in adjudicated)


def test_switched_off_parts_are_absent(study):
    assert not (study / "data/processed/recruitment").exists()
    assert not (study / "paper/claims.csv").exists()
    assert not (study / "paper/audit.csv").exists()
    assert (study / "paper/numbers.tex").exists()
    for fig in ["figure_safeguards", "figure_risks", "figure_obstacles"]:
        assert (study / "paper/figures" / f"{fig}.pdf").exists()


def test_outputs_describe_the_studys_own_data(study):
    """The provenance of the follow-up's config, not the paper study's reconstruction note."""
    import yaml

    cfg = yaml.safe_load((study / "config.yaml").read_text())["provenance"]
    note = (study / "paper/tables/survey_demographics.md").read_text()
    assert note.rstrip().endswith(cfg["note"] + ".")
    summary = (study / "data/processed/paper/summary.html").read_text()
    assert "synthetic" in cfg["description"] and cfg["description"] in summary
    for path in [study / "paper/tables/survey_demographics.md", study / "paper/tables/table2.md",
                 study / "data/processed/paper/summary.html"]:  # fmt: skip
        assert "econstructed" not in path.read_text(), path


# --- robustness of the follow-up's own conclusions ------------------------------
# Recomputed here with pandas, scipy and scikit-learn from the raw files: the
# robustness stage's conclusions and verdicts must say the same.


def _coded(raw: Path, attention: bool = True):
    """Valid respondents' answers as codes (screening as configured; without the
    attention rule when ``attention`` is False)."""
    import pandas as pd

    df = pd.read_csv(raw / "survey" / "wave1.csv", dtype=str, keep_default_na=False)
    keep = df["agent_experience"] != "None"
    if attention:
        keep &= df["attention_check"] != "failed"
    df = df[keep]
    items = pd.read_csv(raw / "instruments" / "survey_items.csv", dtype=str)
    codes = _codes(raw)
    out = pd.DataFrame(
        {
            i: df[i].map(codes[s]).astype(float)
            for i, s in zip(items["item_id"], items["scale_id"], strict=True)
        }
    )
    return out, items


def _robustness(study: Path, name: str):
    import pandas as pd

    return pd.read_csv(study / "data/processed/robustness" / name, dtype=str,
                       keep_default_na=False)  # fmt: skip


def test_robustness_highest_item_of_a_block(study):
    raw = study / "data/raw"
    conclusions = _robustness(study, "conclusions.csv").set_index("conclusion_id")
    summary = _robustness(study, "summary.csv").set_index("claim_id")
    answers, items = _coded(raw)
    risk = items.loc[items["block"] == "risk", "item_id"].tolist()
    means = answers[risk].mean()  # pandas skips unanswered items
    top = means[means == means.max()].index.tolist()
    row = conclusions.loc["highest__mean__risk"]
    assert row["expected"] == ";".join(sorted(top))
    assert row["family"] == "ranking"
    # Every block of the design is ranked, though config lists none.
    for block in ["safeguard", "risk", "obstacle"]:
        for extreme in ["highest", "lowest"]:
            assert f"{extreme}__mean__{block}" in conclusions.index
    # Its specifications: the two screenings (single items have no missing-answer
    # choice). As configured it holds by construction; without the attention rule
    # it holds when the winners stay the same.
    loose, _ = _coded(raw, attention=False)
    loose_means = loose[risk].mean()
    loose_top = loose_means[loose_means == loose_means.max()].index.tolist()
    expected = "robust" if sorted(loose_top) == sorted(top) else "fragile"
    assert summary.loc["highest__mean__risk", "verdict"] == expected
    assert summary.loc["highest__mean__risk", "n_specifications"] == "2"


def test_robustness_paired_test_direction(study):
    import numpy as np
    from scipy import stats

    raw = study / "data/raw"
    answers, _ = _coded(raw)
    p, diff = {}, {}
    for practice in ["sandboxing", "approval_gates", "trace_review"]:
        pair = answers[[f"sg_{practice}_production", f"sg_{practice}_prototype"]].dropna()
        x, y = pair.iloc[:, 0].to_numpy(), pair.iloc[:, 1].to_numpy()
        p[practice] = stats.wilcoxon(x, y, zero_method="wilcox", method="approx").pvalue
        diff[practice] = x.mean() - y.mean()
    # Holm over the three tests (the follow-up's own correction), by hand.
    order = sorted(p, key=p.get)
    holm, running = {}, 0.0
    for k, practice in enumerate(order):
        running = max(running, min(1.0, (3 - k) * p[practice]))
        holm[practice] = running
    conclusions = _robustness(study, "conclusions.csv").set_index("conclusion_id")
    specs = _robustness(study, "specifications.csv")
    for practice in p:
        cid = f"p__{practice}__production__prototype"
        if holm[practice] < 0.05:
            higher = "production" if diff[practice] > 0 else "prototype"
            assert conclusions.loc[cid, "expected"] == f"higher:{higher}"
        else:
            assert conclusions.loc[cid, "expected"] == "no_difference"
        mine = specs[(specs["conclusion_id"] == cid) & (specs["paper_specification"] == "True")]
        assert mine["holds"].tolist() == ["True"]
        assert float(mine["p_value"].iloc[0]) == pytest.approx(holm[practice], rel=1e-9)
    # One other specification by hand: the paired t-test, unadjusted.
    cid = "p__sandboxing__production__prototype"
    pair = answers[["sg_sandboxing_production", "sg_sandboxing_prototype"]].dropna()
    t_p = stats.ttest_rel(pair.iloc[:, 0], pair.iloc[:, 1]).pvalue
    row = specs[(specs["conclusion_id"] == cid) & (specs["test"] == "t_test")
                & (specs["missing"] == "pairwise") & (specs["screening"] == "as_configured")
                & (specs["correction"] == "none")]  # fmt: skip
    assert float(row["p_value"].iloc[0]) == pytest.approx(t_p, rel=1e-9)
    expected = conclusions.loc[cid, "expected"]
    if expected == "no_difference":
        holds = not t_p < 0.05
    else:
        holds = (
            t_p < 0.05
            and expected == f"higher:{'production' if diff['sandboxing'] > 0 else 'prototype'}"
        )  # noqa: E501
    assert row["holds"].tolist() == [str(bool(holds))]
    assert np.isfinite(t_p)


def test_robustness_saturation_and_agreement(study):
    import pandas as pd
    from sklearn.metrics import cohen_kappa_score

    raw = study / "data/raw"
    conclusions = _robustness(study, "conclusions.csv").set_index("conclusion_id")
    # guest2006 with batches of one and full coverage: the interview at which the
    # last subtheme of a research question first comes up.
    seg = pd.read_csv(raw / "interviews" / "coded_segments.csv")
    order = pd.read_csv(raw / "interviews" / "participants.csv").set_index("participant_id")
    seg["n"] = seg["participant_id"].map(order["interview_order"])
    per_rq = seg.groupby(["rq", "subtheme_id"])["n"].min().groupby("rq").max()
    for rq, point in per_rq.items():
        assert conclusions.loc[f"saturation__guest2006__{rq.lower()}", "expected"] == str(point)
    assert conclusions.loc["saturation__guest2006__all", "expected"] == str(per_rq.max())
    # Cohen's kappa of round_1 over incident x label decisions, and its level.
    ann = pd.read_csv(raw / "incidents" / "annotations.csv", keep_default_na=False)
    ann = ann[ann["round"] == "round_1"]
    labels = ["tool_misuse", "runaway_cost", "prompt_injection", "false_claims"]
    wide = ann.pivot(index="incident_id", columns="annotator", values="labels")
    a = [lab in str(v).split(";") for v in wide["A"] for lab in labels]
    b = [lab in str(v).split(";") for v in wide["B"] for lab in labels]
    kappa = cohen_kappa_score(a, b)
    bounds = [(-1, "poor"), (0, "slight"), (0.21, "fair"), (0.41, "moderate"),
              (0.61, "substantial"), (0.81, "almost perfect")]  # fmt: skip
    level = [name for lo, name in bounds if kappa >= lo][-1]
    text = conclusions.loc["agreement__round_1", "conclusion"]
    assert text.startswith(f"{level} agreement in round round_1 (kappa {kappa:.2f}")
