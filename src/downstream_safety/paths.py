"""Where the package's own checkout is, and how paths are shown in messages.

A study's inputs and outputs resolve from the working directory (the folder
Snakemake runs in; see docs/adapting.md), so the analysis code never builds a
path from a root. ``CHECKOUT`` is the source checkout that ships the workflow
and the paper study's data: the reconstructed-data generators, the tests and
the benchmarks use it.
"""

from __future__ import annotations

from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
# The paper study's folder (the checkout itself): for generators, tests, tools.
ROOT = CHECKOUT
RAW = ROOT / "data" / "raw"
INSTRUMENTS = RAW / "instruments"
PAPER = ROOT / "paper"
MATPLOTLIBRC = Path(__file__).resolve().parent / "common" / "matplotlibrc"
DEFAULT_AIID_SNAPSHOT = ROOT.parent / "shared" / "aiid-snapshot-2025-03"


def rel(path: Path | str) -> str:
    """The path relative to the working directory when inside it, for messages."""
    p = Path(path).resolve()
    try:
        return p.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.as_posix()


# Where a command run in a study's folder finds the study's config: a folder
# made for the module (docs/adapting.md) keeps config.yaml at its top, the
# workflow's own checkout keeps it under config/.
STUDY_CONFIGS = (Path("config.yaml"), Path("config") / "config.yaml")


def study_config(explicit: Path | None = None) -> Path | None:
    """The config a command run in the working directory should read, or None."""
    if explicit is not None:
        return explicit if explicit.is_file() else None
    return next((c for c in STUDY_CONFIGS if c.is_file()), None)


def no_study_config(explicit: Path | None) -> str:
    """The message for a command that found no config to read."""
    if explicit is not None:
        return f"config file {explicit} not found: name an existing file with --config"
    return (
        f"no config.yaml or config/config.yaml in {Path.cwd()}: run the command from the "
        "study's folder, or name its config with --config FILE"
    )
