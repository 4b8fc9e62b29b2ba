"""Each job depends only on the design view it uses: after a complete run, a change
to one instrument table schedules only the jobs whose view holds that table and
the jobs downstream of them.

The finished run of the paper study (the ``pipeline`` fixture) is copied with its
Snakemake records into a throw-away copy, where the tables are edited."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from downstream_safety.paths import ROOT
from tests.reliability.workflow_copy import SNAKEMAKE, env_for, make_copy

pytestmark = pytest.mark.slow
OUTPUT_DIRS = ["data/processed", "paper", "logs", "notebooks/executed", ".snakemake/metadata"]


@pytest.fixture(scope="module")
def finished_copy(pipeline, tmp_path_factory) -> Path:
    copy = make_copy(tmp_path_factory.mktemp("views") / "copy")
    for folder in OUTPUT_DIRS:
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, copy / folder, dirs_exist_ok=True)
    # Edited raw files are no longer the pinned ones.
    cfg_path = copy / "config" / "config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text())
    cfg["privacy"]["raw_manifest"] = None
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    # Jobs whose records name the checkout's own paths (the executed notebooks), or
    # that the edited config concerns, run again here, completing the run in the copy.
    cmd = [SNAKEMAKE, "--cores", "2", "--quiet", "rules"]
    res = subprocess.run(cmd, cwd=copy, env=env_for(copy), capture_output=True, text=True)
    assert res.returncode == 0, (res.stdout + res.stderr)[-4000:]
    return copy


def _scheduled(copy: Path, *extra: str) -> set[str]:
    cmd = [SNAKEMAKE, "-n", "--cores", "1", "--quiet", "rules", *extra]
    res = subprocess.run(cmd, cwd=copy, env=env_for(copy), capture_output=True, text=True)
    assert res.returncode == 0, (res.stdout + res.stderr)[-4000:]
    rules = set()
    for line in (res.stdout + res.stderr).splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit() and parts[0] not in {"all", "total", "job"}:
            rules.add(parts[0])
    return rules


def _edited(copy: Path, table: str, *extra: str) -> set[str]:
    """Rules a dry run schedules after a real edit of an instrument table (a trailing
    empty line, which every reader skips). Snakemake compares checksums of small
    inputs, so touching the file alone would schedule nothing."""
    path = copy / "data/raw/instruments" / table
    before, stat = path.read_bytes(), path.stat()
    try:
        path.write_bytes(before + b"\n")
        return _scheduled(copy, *extra)
    finally:
        path.write_bytes(before)
        os.utime(path, (stat.st_atime, stat.st_mtime))


# With the workflow's default rerun triggers, and with modification times alone.
CASES = [(), ("--rerun-triggers", "mtime")]


@pytest.mark.parametrize("case", CASES, ids=["default-triggers", "mtime"])
def test_participant_fields_rerun_only_its_readers(finished_copy, case):
    assert _scheduled(finished_copy) == set(), "the copied run should be up to date"
    rules = _edited(finished_copy, "participant_fields.csv", *case)
    # The jobs that read the participants' fields, and what is built from their outputs.
    assert {"instruments_design_view", "interviews_table2", "interviews_numbers"} <= rules
    assert "recruitment_funnel" in rules
    stray = sorted(r for r in rules if r.startswith(("survey_", "incidents_", "robustness_")))
    assert not stray, f"jobs that do not read participant fields were scheduled: {stray}"
    # Interview jobs that need only ids and order (and the codebook) do not rerun.
    for rule in ["interviews_segments", "interviews_aggregate", "interviews_saturation"]:
        assert rule not in rules
    assert "synthesis_triangulation" not in rules


@pytest.mark.parametrize("case", CASES, ids=["default-triggers", "mtime"])
def test_a_survey_scale_reruns_no_interview_job(finished_copy, case):
    rules = _edited(finished_copy, "survey_scales.csv", *case)
    assert {"survey_responses", "survey_figures_pooled", "instruments_table1_data"} <= rules
    assert not sorted(r for r in rules if r.startswith(("interviews_", "incidents_")))
    assert "recruitment_funnel" not in rules
