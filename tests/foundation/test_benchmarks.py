"""The benchmarks stay runnable: each imports against the current package, and the
scaling benchmark's workloads run at their smallest size.

Benchmarks are never timed here (they report wall-clock ratios, not assertions); this
only catches a benchmark left behind by a change of the package's interfaces.
"""

from __future__ import annotations

import importlib.util

import pytest

from downstream_safety.paths import ROOT

BENCHMARKS = sorted((ROOT / "benchmarks").glob("*.py"))


def _load(path):
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", BENCHMARKS, ids=[p.stem for p in BENCHMARKS])
def test_benchmark_imports(path):
    module = _load(path)
    assert callable(getattr(module, "main", None)), f"{path.name} has no main()"


def test_scaling_workloads_run():
    scaling = _load(ROOT / "benchmarks" / "scaling.py")
    n_respondents, seconds = scaling.survey_rows(1)
    assert n_respondents > 0 and seconds > 0
    n_incidents, seconds = scaling.incident_rows(1)
    assert n_incidents > 0 and seconds > 0
