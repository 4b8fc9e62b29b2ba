"""A clean copy of the repository's inputs, for rebuilds from scratch.

Used by the bit-for-bit check, the interrupted-run test and the benchmarks:
each needs the workflow and raw data without any generated output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from downstream_safety.paths import ROOT

INPUT_FILES = ["Snakefile", "requirements.txt", "pyproject.toml"]
INPUT_DIRS = ["workflow", "config", "src", "notebooks", "data/raw"]
PAPER_SOURCES = {".tex", ".sha256", ".bib", ".sty", ".cls"}
_IGNORE = shutil.ignore_patterns(
    ".venv", ".snakemake", "__pycache__", "logs", ".git", "executed", "*.pyc"
)


def copy_inputs(dest: Path, root: Path = ROOT) -> Path:
    """Copy everything the pipeline reads (and nothing it writes) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in INPUT_FILES:
        if (root / name).exists():
            shutil.copy2(root / name, dest / name)
    for name in INPUT_DIRS:
        if (root / name).exists():
            shutil.copytree(root / name, dest / name, ignore=_IGNORE, dirs_exist_ok=True)
    (dest / "paper").mkdir(exist_ok=True)
    for f in sorted((root / "paper").iterdir()):
        if f.is_file() and f.suffix in PAPER_SOURCES:
            shutil.copy2(f, dest / "paper" / f.name)
    shared = root.parent / "shared"
    if shared.exists() and not (dest.parent / "shared").exists():
        # The AIID snapshot is configured as ../shared/...; make it reachable.
        (dest.parent / "shared").symlink_to(shared, target_is_directory=True)
    return dest
