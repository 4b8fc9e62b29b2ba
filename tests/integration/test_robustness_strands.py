"""The robustness stage with whichever strands a study has: copies of the paper
study with strands switched off run only the robustness rules, on the upstream
outputs of the full run. Each family of conclusions appears exactly when its
strand runs, and a conclusion drawn in a copy states what the full run states
(the full run's conclusions are checked against the raw data elsewhere)."""

from __future__ import annotations

import shutil
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
OUT = "data/processed/robustness"

VARIANTS = {
    # strands switched off -> families expected, intervals' kinds present / absent
    "survey_only": (["recruitment", "interviews", "incidents"], {"paired_test", "ranking"}),
    "no_incidents": (["incidents"], {"paired_test", "ranking", "saturation"}),
    "no_survey": (["survey"], {"saturation", "agreement"}),
}


def _copy(dest: Path, off: list[str]) -> Path:
    copy_workflow(dest)
    for sub in UPSTREAM:
        shutil.copytree(ROOT / sub, dest / sub)
    path = dest / "config/config.yaml"
    cfg = yaml.safe_load(path.read_text())
    for stage in off:
        cfg[stage] = None
    cfg["paper"]["published_claims"] = None
    cfg["paper"]["published_samples"] = None
    rb = cfg["robustness"]
    rb.update(n_resamples=20, n_orders=10, permutation_resamples=20)
    # A link to a conclusion the copy does not draw would be refused.
    rb["claims"] = (
        [{"conclusion_id": "lowest__mean__importance", "claim_ids": ["C083"]}]
        if "survey" not in off
        else []
    )
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return dest


@pytest.mark.parametrize("name", list(VARIANTS))
def test_robustness_runs_with_the_strands_that_exist(pipeline, tmp_path, name):
    off, families = VARIANTS[name]
    root = _copy(tmp_path / name, off)
    listed = run([tool("snakemake"), "--list-rules"], cwd=root)
    assert listed.returncode == 0, listed.stderr[-3000:]
    rules = [r for r in listed.stdout.split() if r.startswith("robustness")]
    res = run(
        [tool("snakemake"), "--cores", "2", "--allowed-rules", *rules, "--", "robustness"],
        cwd=root,
        timeout=900,
    )
    assert res.returncode == 0, (res.stdout + res.stderr)[-4000:]
    got = pd.read_csv(root / OUT / "conclusions.csv", dtype=str, keep_default_na=False)
    assert set(got["family"]) == families
    full = pd.read_csv(ROOT / OUT / "conclusions.csv", dtype=str, keep_default_na=False)
    full = full.set_index("conclusion_id")
    for row in got.itertuples(index=False):
        assert row.conclusion == full.at[row.conclusion_id, "conclusion"], row.conclusion_id
        assert row.expected == full.at[row.conclusion_id, "expected"], row.conclusion_id
    # Every conclusion of the strands that run is drawn.
    assert len(got) == full["family"].isin(families).sum()
    summary = pd.read_csv(root / OUT / "summary.csv")
    assert len(summary) == len(got)
    if "survey" not in off:
        assert "C083" in set(summary["claim_id"])
    # The side outputs of a strand exist exactly when it runs.
    assert (root / OUT / "saturation_orders.csv").exists() == ("interviews" not in off)
    figures = root / "paper/figures"
    assert (figures / "robustness_saturation_orders.png").exists() == ("interviews" not in off)
    assert (figures / "robustness_specification_curve.png").exists() == ("survey" not in off)
    kinds = set(pd.read_csv(root / OUT / "intervals.csv")["quantity"].str.split("__").str[0])
    assert ("mean" in kinds) == ("survey" not in off)
    assert ("kappa" in kinds) == ("incidents" not in off)
