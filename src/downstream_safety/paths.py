"""The one place that knows where things live (showyourwork's ``paths`` idea).

Every path is relative to the repository root so that Snakemake rules, scripts,
tests and notebooks agree without string concatenation scattered around.
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    """The repository being worked on.

    Snakemake runs scripts in the workflow's directory, which may be a copy of
    the repository (rebuilds from scratch, tests); that copy wins over the
    checkout the package was imported from.
    """
    env = os.environ.get("DOWNSTREAM_SAFETY_ROOT")
    if env:
        return Path(env).resolve()
    cwd = Path.cwd()
    if (cwd / "Snakefile").is_file() and (cwd / "data" / "raw").is_dir():
        return cwd.resolve()
    return Path(__file__).resolve().parents[2]


ROOT = _find_root()

CONFIG = ROOT / "config"
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
INSTRUMENTS = RAW / "instruments"
PAPER = ROOT / "paper"
TABLES = PAPER / "tables"
FIGURES = PAPER / "figures"
NOTEBOOKS = ROOT / "notebooks"
WORKFLOW = ROOT / "workflow"
SCHEMAS = WORKFLOW / "schemas"
MATPLOTLIBRC = Path(__file__).resolve().parent / "common" / "matplotlibrc"
SHARED = ROOT.parent / "shared"
DEFAULT_AIID_SNAPSHOT = SHARED / "aiid-snapshot-2025-03"


def rel(path: Path | str) -> str:
    """Repository-relative POSIX path, for messages and manifests."""
    p = Path(path).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return p.as_posix()
