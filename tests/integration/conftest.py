"""Run the whole pipeline once per test session, exactly as `repro.py run` does."""

from __future__ import annotations

import pytest

from tests.foundation.helpers import run, tool


@pytest.fixture(scope="session")
def pipeline():
    res = run([tool("snakemake"), "--cores", "2"], timeout=1800)
    assert res.returncode == 0, (res.stdout + res.stderr)[-6000:]
    return res
