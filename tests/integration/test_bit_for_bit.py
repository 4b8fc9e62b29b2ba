"""Proof of determinism: the outputs of this run and of a rebuild from scratch in
a fresh copy are byte-identical to the committed paper/MANIFEST.sha256."""

from __future__ import annotations

import sys

from tests.foundation.helpers import run


def test_current_outputs_match_manifest(pipeline):
    res = run([sys.executable, "-m", "downstream_safety.paper.verify", "--current"])
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]


def test_rebuild_from_scratch_matches_manifest(pipeline):
    res = run([sys.executable, "-m", "downstream_safety.paper.verify"], timeout=1800)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert "files match" in res.stdout
