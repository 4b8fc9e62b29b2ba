"""The robustness stage on the real pipeline's outputs: the same bytes for any
chunk count, core count and executor (local, and a real SLURM cluster when one
is running), and a report whose Robustness section opens with the counts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml

from downstream_safety.paths import ROOT
from tests.foundation.helpers import copy_workflow, run, tool

pytestmark = pytest.mark.slow

UPSTREAM = [
    "data/processed/instruments",  # the design views the robustness rules declare
    "data/processed/survey",
    "data/processed/interviews",
    "data/processed/incidents",
]
OUTPUTS = [
    "data/processed/robustness/conclusions.csv",
    "data/processed/robustness/specifications.csv",
    "data/processed/robustness/summary.csv",
    "data/processed/robustness/summary.html",
    "data/processed/robustness/intervals.csv",
    "data/processed/robustness/saturation_orders.csv",
]


def _robustness_rules() -> list[str]:
    res = run([tool("snakemake"), "--list-rules"])
    return [r for r in res.stdout.split() if r.startswith("robustness")]


def _copy(dest: Path) -> Path:
    """The inputs plus the upstream stage outputs; only robustness rules may run."""
    copy_workflow(dest)
    for sub in UPSTREAM:
        shutil.copytree(ROOT / sub, dest / sub)
    return dest


def _same_bytes(root: Path) -> list[str]:
    return [f for f in OUTPUTS if (root / f).read_bytes() != (ROOT / f).read_bytes()]


def test_summary_covers_the_conclusions(pipeline):
    summary = pd.read_csv(ROOT / "data/processed/robustness/summary.csv")
    assert list(summary.columns) == [
        "claim_id", "conclusion", "n_specifications", "n_hold", "share_hold", "verdict",
    ]  # fmt: skip
    tests = pd.read_csv(ROOT / "data/processed/survey/practice_tests.csv")
    assert len(summary) >= (tests["wave"] == "all").sum()
    # The five published differences keep their registry ids and fail under
    # Bonferroni (smallest p 0.004 > 0.05 / 24), so none can be robust.
    for cid in ["C098", "C099", "C107", "C114", "C115"]:
        assert summary.set_index("claim_id").at[cid, "verdict"] == "fragile"
    intervals = pd.read_csv(ROOT / "data/processed/robustness/intervals.csv")
    assert intervals["quantity"].str.startswith("kappa__calibration").any()
    orders = pd.read_csv(ROOT / "data/processed/robustness/saturation_orders.csv")
    assert orders.groupby(["rq", "method"])["share"].sum().round(9).eq(1).all()


def _region(low: float, high: float) -> str:
    return "positive" if low > 0 else "negative" if high < 0 else "straddles 0"


def test_every_interval_contains_its_estimate(pipeline):
    iv = pd.read_csv(ROOT / "data/processed/robustness/intervals.csv").dropna(
        subset=["ci_low", "ci_high"]
    )
    outside = iv[(iv["estimate"] < iv["ci_low"]) | (iv["estimate"] > iv["ci_high"])]
    assert outside.empty, outside[["quantity", "estimate", "ci_low", "ci_high"]].to_string()


def test_r_interval_agrees_with_the_d_interval_of_the_same_pair(pipeline):
    """r is bootstrapped with its sign (method column); its interval lies on the same
    side of zero as d's, or both straddle zero; its estimate has d's sign and, in
    magnitude, is the survey's effect_size_r."""
    iv = pd.read_csv(ROOT / "data/processed/robustness/intervals.csv").set_index("quantity")
    tests = pd.read_csv(ROOT / "data/processed/survey/practice_tests.csv")
    tests = tests[tests["wave"] == "all"]
    assert len(tests) > 0
    for t in tests.itertuples():
        pair = f"{t.practice}__{t.concern_a}__{t.concern_b}"
        d, r = iv.loc[f"effect_size_d__{pair}"], iv.loc[f"effect_size_r__{pair}"]
        assert r["method"] == "BCa of signed r = z/sqrt(n)" and d["method"] == "BCa"
        assert _region(r["ci_low"], r["ci_high"]) == _region(d["ci_low"], d["ci_high"]), pair
        assert abs(r["estimate"]) == pytest.approx(t.effect_size_r, rel=1e-8)
        assert d["estimate"] == pytest.approx(t.effect_size_d, rel=1e-8)
        assert iv.loc[f"rank_biserial__{pair}", "estimate"] == pytest.approx(
            t.rank_biserial, rel=1e-8
        )
        if t.mean_a != t.mean_b:
            assert (r["estimate"] > 0) == (t.rank_biserial > 0), pair


def test_bootstrap_estimates_are_the_survey_numbers(pipeline):
    """Same point values in both stages: each interval's estimate equals the survey's
    numbers.csv value of the same key (means, shares, practice scores, d)."""
    iv = pd.read_csv(ROOT / "data/processed/robustness/intervals.csv").set_index("quantity")
    numbers = pd.read_csv(ROOT / "data/processed/survey/numbers.csv").set_index("key")["value"]
    compared = 0
    for q, est in iv["estimate"].items():
        prefix = q.split("__", 1)[0]
        name = {"effect_size_d": "d"}.get(prefix, prefix)
        k = q.replace(prefix, name, 1)
        if prefix in ("mean", "pct_top2", "pct_lowest", "practice_score", "demo_pct",
                      "effect_size_d") and k in numbers.index:  # fmt: skip
            assert est == pytest.approx(numbers[k], rel=1e-8), q
            compared += 1
    assert compared > 100


def test_same_bytes_for_other_chunk_and_core_counts(pipeline, tmp_path):
    root = _copy(tmp_path / "wf")
    cfg = root / "config/config.yaml"
    text = cfg.read_text()
    assert "\n  chunks: 2\n" in text
    cfg.write_text(text.replace("\n  chunks: 2\n", "\n  chunks: 3\n"))
    res = run(
        [tool("snakemake"), "--cores", "1",
         "--allowed-rules", *_robustness_rules(), "--", "robustness"],
        cwd=root,
        timeout=900,
    )  # fmt: skip
    assert res.returncode == 0, (res.stdout + res.stderr)[-4000:]
    assert "specifications_2.csv" in res.stdout + res.stderr  # three chunks ran
    assert _same_bytes(root) == []


def _slurm_ready() -> str | None:
    import importlib.util

    if importlib.util.find_spec("snakemake_executor_plugin_slurm") is None:
        return "the SLURM executor plugin is an extra: `python3 repro.py slurm` installs it"
    if shutil.which("sinfo") is None or shutil.which("sbatch") is None:
        return "SLURM client tools absent (Debian package slurm-client)"
    out = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True)
    if out.returncode != 0 or "idle" not in out.stdout.split():
        return "no SLURM cluster with an idle node is running (.ci/run starts one as root)"
    return None


def test_slurm_profile_leaves_the_partition_to_the_cluster():
    """A partition named in the shipped profile fails on every cluster that lacks it;
    the CI cluster's partition is called `batch`, so the test below also shows the
    unedited profile running on a cluster with its own default partition."""
    profile = yaml.safe_load((ROOT / "profiles/slurm/config.yaml").read_text())
    assert "slurm_partition" not in (profile.get("default-resources") or {})
    assert "PartitionName=batch " in (ROOT / ".ci/slurm-cluster.sh").read_text()


def test_same_bytes_through_the_slurm_profile(pipeline, tmp_path):
    reason = _slurm_ready()
    if reason:
        pytest.skip(reason)
    root = _copy(tmp_path / "wf")
    res = run(
        [tool("snakemake"), "--profile", str(ROOT / "profiles/slurm"),
         "--allowed-rules", *_robustness_rules(), "--", "robustness"],
        cwd=root,
        timeout=1500,
    )  # fmt: skip
    text = res.stdout + res.stderr
    assert res.returncode == 0, text[-4000:]
    job_ids = re.findall(r"submitted with SLURM jobid (\d+)", text)
    assert len(job_ids) >= 8, text[-3000:]
    logs = list((root / "logs/slurm").rglob("*.log"))
    assert {p.stem for p in logs} >= set(job_ids)
    assert _same_bytes(root) == []


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian package chromium absent")
def test_report_robustness_section_opens_with_the_counts(pipeline, tmp_path):
    report = tmp_path / "report.html"
    res = run([tool("snakemake"), "--report", str(report)], timeout=900)
    assert res.returncode == 0, res.stderr[-3000:]

    def dom(url: str) -> str:
        out = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
             "--virtual-time-budget=10000", "--dump-dom", url],
            capture_output=True, text=True, timeout=120,
        ).stdout  # fmt: skip
        # Rendered text only: the raw page embeds every item as data.
        return re.sub(r"<(script|style)\b.*?</\1>", "", out, flags=re.S)

    assert "Robustness" in dom(f"file://{report}")
    page = dom(f"file://{ROOT / 'data/processed/robustness/summary.html'}")
    summary = pd.read_csv(ROOT / "data/processed/robustness/summary.csv")
    counts = summary["verdict"].value_counts()
    text = re.sub(r"<[^>]+>", "", page)
    first = next(line for line in text.splitlines() if "conclusions tested" in line)
    expected = (
        f"{len(summary)} conclusions tested: {counts.get('robust', 0)} robust, "
        f"{counts.get('fragile', 0)} fragile, {counts.get('contrary', 0)} contrary."
    )
    assert first.strip() == expected
    body = text[text.index("Robustness") :]
    assert body.index("conclusions tested") < body.index("Conclusions")
