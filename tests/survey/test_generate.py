"""The committed reconstructed wave is exactly what the generator writes."""

from __future__ import annotations

import subprocess
import sys

from downstream_safety.paths import ROOT


def test_generator_check_passes():
    res = subprocess.run(
        [sys.executable, "-m", "reconstruction.survey", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr


def test_shipped_wave_is_labelled_reconstructed():
    text = (ROOT / "data/raw/survey/README.md").read_text(encoding="utf-8")
    assert "reconstructed" in text.lower() and "not the study's original" in text.lower()
