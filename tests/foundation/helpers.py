"""Helpers for tests that run tools of the pinned environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from downstream_safety.paths import ROOT

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    return str(BIN / name)


def run(cmd: list[str], cwd: Path = ROOT, timeout: int = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def copy_workflow(dest: Path, *, with_outputs: bool = False) -> Path:
    """A minimal copy of the repository that Snakemake can run in."""
    ignore = shutil.ignore_patterns(".venv", ".snakemake", "__pycache__", "logs", ".git")
    for name in ["Snakefile", "matplotlibrc", "requirements.txt", "pyproject.toml"]:
        shutil.copy2(ROOT / name, dest / name)
    for name in ["workflow", "config", "src", "notebooks"]:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    shutil.copytree(ROOT / "data" / "raw", dest / "data" / "raw")
    (dest / "paper").mkdir()
    for f in (ROOT / "paper").iterdir():
        if f.is_file() and f.suffix in {".tex", ".sha256", ".bib", ".sty"}:
            shutil.copy2(f, dest / "paper" / f.name)
    if with_outputs:
        for name in ["data/processed", "paper/tables", "paper/figures"]:
            if (ROOT / name).exists():
                shutil.copytree(ROOT / name, dest / name, dirs_exist_ok=True)
    return dest
