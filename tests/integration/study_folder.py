"""Running the workflow from a study's own folder, as a team does (module use).

The environment is the caller's with this suite's interpreter first on PATH and
nothing that would point the workflow at this checkout's sources: the module's
Snakefile path is all that names the workflow.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def study_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    env.pop("DOWNSTREAM_SAFETY_ROOT", None)
    return env


def run_snakemake(folder: Path, *args: str, timeout: int = 1500) -> None:
    """``snakemake ARGS`` in ``folder``; fails the test with the log's end otherwise."""
    res = subprocess.run([str(BIN / "snakemake"), *args], cwd=folder, env=study_env(),
                         capture_output=True, text=True, timeout=timeout)  # fmt: skip
    assert res.returncode == 0, (res.stdout + res.stderr)[-8000:]
