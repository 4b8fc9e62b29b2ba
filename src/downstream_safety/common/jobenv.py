"""Environment every Snakemake job inherits from the workflow process.

The environment installs the package, so jobs import it under any executor.
The workflow still puts the package shipped beside it first on the path, so a
copy of the workflow (a rebuild from scratch, a test) runs its own code; jobs
use the package's matplotlibrc and never embed the wall-clock time.
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
    os.environ.setdefault("MATPLOTLIBRC", str(Path(__file__).with_name("matplotlibrc")))
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
