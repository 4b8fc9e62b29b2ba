"""The same bytes on every supported Python: each other interpreter found on this
machine builds its own environment with `repro.py` and rebuilds the pipeline
from scratch (`repro.py verify`), compared with paper/MANIFEST.sha256."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys

import pytest

from downstream_safety.paths import ROOT
from tests.reliability.repro_copy import user_env

SUPPORTED = ["3.11", "3.12", "3.13"]


def _interpreters() -> dict[str, str]:
    """One interpreter per supported version other than this one (pyenv, then PATH)."""
    found = {}
    for ver in SUPPORTED:
        candidates = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{ver}*/bin/python3")))
        candidates += [p for p in [shutil.which(f"python{ver}")] if p]
        for cand in candidates:
            out = subprocess.run(
                [cand, "-c", "import sys; print('{}.{}'.format(*sys.version_info[:2]))"],
                capture_output=True,
                text=True,
            )
            if out.returncode == 0 and out.stdout.strip() == ver:
                found[ver] = os.path.realpath(cand)
                break
    this = "{}.{}".format(*sys.version_info[:2])
    return {v: p for v, p in found.items() if v != this}


OTHERS = _interpreters()


@pytest.mark.slow
@pytest.mark.parametrize("version", SUPPORTED)
def test_rebuild_with_another_python_matches_manifest(version, tmp_path):
    this = "{}.{}".format(*sys.version_info[:2])
    if version == this:
        pytest.skip(f"Python {this} is the suite's own interpreter (test_bit_for_bit)")
    if version not in OTHERS:
        pytest.skip(f"no Python {version} found on this machine")
    env = user_env(tmp_path / f"venv-{version}")
    res = subprocess.run(
        [OTHERS[version], str(ROOT / "repro.py"), "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-3000:]
    assert "files match" in res.stdout
    pyvenv = (tmp_path / f"venv-{version}" / "pyvenv.cfg").read_text()
    assert f"version_info = {version}." in pyvenv or f"version = {version}." in pyvenv, pyvenv
