"""Linters and formatters run as part of the suite, so CI enforces them."""

from __future__ import annotations

import pytest

from tests.foundation.helpers import run, tool


@pytest.mark.slow
def test_snakemake_lint_is_clean():
    res = run([tool("snakemake"), "--lint"])
    out = res.stdout + res.stderr
    assert res.returncode == 0, out
    assert "Lints for" not in out, out


def test_snakefmt_clean():
    res = run([tool("snakefmt"), "--check", "Snakefile", "workflow/rules"])
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff_clean(args):
    res = run([tool("ruff"), *args])
    assert res.returncode == 0, res.stdout + res.stderr
