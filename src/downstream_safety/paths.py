"""The one place that knows where things live (showyourwork's ``paths`` idea).

Every path is relative to the repository root so that Snakemake rules, scripts,
tests and notebooks agree without string concatenation scattered around.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

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
MATPLOTLIBRC = ROOT / "matplotlibrc"
SHARED = ROOT.parent / "shared"
DEFAULT_AIID_SNAPSHOT = SHARED / "aiid-snapshot-2025-03"


def rel(path: Path | str) -> str:
    """Repository-relative POSIX path, for messages and manifests."""
    p = Path(path).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return p.as_posix()
