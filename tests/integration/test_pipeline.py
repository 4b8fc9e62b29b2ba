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
    """Every output of the default target's DAG exists, is current and is not empty."""
    res = run([tool("snakemake"), "--summary"])
    assert res.returncode == 0, res.stderr[-2000:]
    rows = [line.split("\t") for line in res.stdout.splitlines() if "\t" in line]
    header, body = rows[0], rows[1:]
    assert header[:1] == ["output_file"] and "status" in header, header
    status = {r[0]: r[header.index("status")] for r in body}
    # One file of each stage's final targets must be in the DAG at all.
    for path in [
        "paper/tables/table1.csv",
        "paper/claims.csv",
        "paper/tables/table3.tex",
        "data/processed/survey/practice_tests.csv",
        "data/processed/incidents/numbers.csv",
        "data/processed/interviews/numbers.csv",
        "data/processed/recruitment/numbers.csv",
        "data/processed/datapackage.json",
    ]:
        assert path in status, f"{path} is not an output of the default target"
    # temp() outputs (the robustness stage's chunk files) are removed once gathered.
    temp = {f for f, s in status.items() if s == "removed temp file"}
    assert all("/chunks/" in f for f in temp), temp
    not_ok = {f: s for f, s in status.items() if s != "ok" and f not in temp}
    assert not not_ok, not_ok
    kept = [f for f in status if f not in temp]
    empty = [f for f in kept if not (ROOT / f).is_file() or (ROOT / f).stat().st_size == 0]
    assert not empty, empty


def test_processed_datapackage_is_valid(pipeline):
    path = ROOT / "data" / "processed" / "datapackage.json"
    desc = json.loads(path.read_text())
    assert desc["resources"], "no processed tables described"
    report = frictionless.validate(str(path))
    problems = [(t.name, [e.message for e in t.errors[:3]]) for t in report.tasks if not t.valid]
    assert report.valid, problems
