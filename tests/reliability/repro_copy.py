"""Copies of the repository that `python3 repro.py ...` can run in, as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from downstream_safety.common.workspace import copy_inputs
from downstream_safety.paths import ROOT

# What the bootstrap reads besides the pipeline's inputs.
BOOTSTRAP_FILES = [
    "repro.py",
    "requirements.lock",
    "requirements-slurm.lock",
    "requirements-bootstrap.txt",
    "requirements-bootstrap.lock",
]
# The interpreter a user would run repro.py with (not this environment's copy).
BASE_PYTHON = os.path.realpath(getattr(sys, "_base_executable", sys.executable))


def make_copy(dest: Path) -> Path:
    copy_inputs(dest)
    for name in BOOTSTRAP_FILES:
        shutil.copy2(ROOT / name, dest / name)
    return dest


def user_env(venv: Path | None = None) -> dict[str, str]:
    """The caller's environment without this test run's virtual environment."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != bin_dir)
    env.pop("DOWNSTREAM_SAFETY_VENV", None)
    if venv is not None:
        env["DOWNSTREAM_SAFETY_VENV"] = str(venv)
    return env


def repro(copy: Path, *args: str, venv: Path | None = None, python: str = BASE_PYTHON, **kw):
    return subprocess.run(
        [python, str(copy / "repro.py"), *args],
        cwd=copy,
        env=user_env(venv),
        capture_output=True,
        text=True,
        **kw,
    )


def start(copy: Path, *args: str, venv: Path | None = None) -> subprocess.Popen:
    """Start repro.py in its own process group (so the whole run can be killed)."""
    return subprocess.Popen(
        [BASE_PYTHON, str(copy / "repro.py"), *args],
        cwd=copy,
        env=user_env(venv),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
