"""Run Snakemake in throw-away copies of the repository, several at a time."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.foundation.helpers import copy_workflow

BIN = Path(sys.executable).parent
SNAKEMAKE = str(BIN / "snakemake")


def make_copy(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    return copy_workflow(dest)


def env_for(copy: Path) -> dict[str, str]:
    """The copy's own package comes first, so jobs read the copy's data/raw/, not ours."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(copy / "src")
    env["MPLCONFIGDIR"] = str(copy / ".snakemake" / "mplconfig")
    env["MATPLOTLIBRC"] = str(copy / "src" / "downstream_safety" / "common" / "matplotlibrc")
    env["SOURCE_DATE_EPOCH"] = "0"
    env["PYTHONHASHSEED"] = "0"
    return env


def snakemake(copy: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SNAKEMAKE, *args],
        cwd=copy,
        env=env_for(copy),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_python(copy: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "python"), *args], cwd=copy, env=env_for(copy), capture_output=True, text=True
    )


def snakemake_many(jobs: dict[str, tuple[Path, list[str]]], workers: int = 2) -> dict:
    """Run several Snakemake invocations at once (each mostly waits on imports)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {key: pool.submit(snakemake, copy, *args) for key, (copy, args) in jobs.items()}
        return {key: f.result() for key, f in futures.items()}


def outputs(copy: Path) -> dict[str, bytes]:
    """Every file the workflow wrote (data/processed/, paper/tables/, paper/figures/)."""
    found = {}
    for sub in ["data/processed", "paper/tables", "paper/figures"]:
        base = copy / sub
        if base.exists():
            for p in sorted(base.rglob("*")):
                if p.is_file():
                    found[p.relative_to(copy).as_posix()] = p.read_bytes()
    return found
