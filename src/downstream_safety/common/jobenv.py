"""Environment every Snakemake job inherits from the workflow process.

Jobs must import this checkout's package (the workflow may run in a copy of
the repository), find the repository root, use the repository's matplotlibrc
and never embed the wall-clock time in an artefact.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def configure(basedir: str | Path) -> None:
    base = Path(basedir).resolve()
    src = str(base / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in [src, os.environ.get("PYTHONPATH", "")] if p
    )
    os.environ["DOWNSTREAM_SAFETY_ROOT"] = str(base)
    os.environ.setdefault("MATPLOTLIBRC", str(Path(__file__).with_name("matplotlibrc")))
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
