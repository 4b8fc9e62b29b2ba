"""The optional PDF of the replication report builds where LaTeX is installed."""

from __future__ import annotations

import shutil

import pytest

from downstream_safety.paths import ROOT
from tests.foundation.helpers import run, tool


@pytest.mark.skipif(shutil.which("latexmk") is None, reason="latexmk (LaTeX) not installed")
def test_pdf_builds(pipeline, tmp_path):
    cfg = tmp_path / "pdf.yaml"
    cfg.write_text("paper:\n  build_pdf: true\n  survey_wave: all\n")
    res = run(
        [tool("snakemake"), "paper/main.pdf", "--cores", "2", "--configfile", str(cfg)],
        timeout=900,
    )
    log = ROOT / "logs" / "paper" / "pdf.log"
    detail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    assert res.returncode == 0, (res.stdout + res.stderr)[-3000:] + detail
    pdf = ROOT / "paper" / "main.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
