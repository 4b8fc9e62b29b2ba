"""Helpers for tests that run tools of the pinned environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from downstream_safety.common.workspace import copy_inputs
from downstream_safety.paths import ROOT

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    return str(BIN / name)


def run(cmd: list[str], cwd: Path = ROOT, timeout: int = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def copy_workflow(dest: Path) -> Path:
    """A copy of the repository's inputs that Snakemake can run in."""
    return copy_inputs(dest)
