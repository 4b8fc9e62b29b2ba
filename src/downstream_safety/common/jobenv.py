"""Environment every Snakemake job inherits from the workflow process.

The environment installs the package, so jobs import it under any executor.
The workflow still puts the package shipped beside it first on the path, so a
copy of the workflow (a rebuild from scratch, a test) runs its own code; jobs
use the package's matplotlibrc and never embed the wall-clock time.

Everything the outputs' bytes may depend on is set here rather than by a harness,
so ``snakemake --cores all`` started directly, with no variables of its own, gives
the bytes of ``paper/MANIFEST.sha256`` (``repro.py verify`` runs it that way): the
hash seed, the figure style and the timestamp epoch. They are overridden, not
defaulted, so a value left in a user's shell cannot change the published bytes.
No output is known to depend on the hash seed (a rebuild without it matched the
manifest); it is fixed so that none can start to. Jobs inherit these from this
process under every executor (SLURM exports the submitting environment).
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
    os.environ["MATPLOTLIBRC"] = str(Path(__file__).with_name("matplotlibrc"))
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    os.environ["PYTHONHASHSEED"] = "0"
    # The rules' conda environment installs the package from here
    # (workflow/envs/replication.yaml: -e ${DOWNSTREAM_SAFETY_WORKFLOW}), wherever
    # the study's folder is.
    os.environ["DOWNSTREAM_SAFETY_WORKFLOW"] = str(base)
