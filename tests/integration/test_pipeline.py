"""The full pipeline: runs, leaves nothing to do, and writes valid, described outputs."""

from __future__ import annotations

import json

import frictionless

from downstream_safety.paths import ROOT
from tests.foundation.helpers import run, tool


def test_pipeline_completes(pipeline):
    assert "steps (100%) done" in pipeline.stderr or "Nothing to be done" in pipeline.stderr


def test_rerun_is_a_noop(pipeline):
    res = run([tool("snakemake"), "-n", "--cores", "2"])
    assert res.returncode == 0, res.stderr
    assert "Nothing to be done" in res.stdout + res.stderr


def test_every_target_exists(pipeline):
    res = run([tool("snakemake"), "--list-target-rules"])
    assert res.returncode == 0
    for path in ["paper/tables/table1.csv", "paper/tables/table1.md", "paper/tables/table1.tex"]:
        assert (ROOT / path).stat().st_size > 0, path


def test_processed_datapackage_is_valid(pipeline):
    path = ROOT / "data" / "processed" / "datapackage.json"
    desc = json.loads(path.read_text())
    assert desc["resources"], "no processed tables described"
    report = frictionless.validate(str(path))
    problems = [(t.name, [e.message for e in t.errors[:3]]) for t in report.tasks if not t.valid]
    assert report.valid, problems
