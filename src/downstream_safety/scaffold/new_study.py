"""Write a new study folder that runs through the workflow as it is.

The folder holds the template's instrument tables, synthetic records that fit
them (see ``reconstruction.scaffold``), a config with every strand on, a README
of the next steps and a Snakefile importing this workflow as a module. A team
replaces the rows with its own and keeps the layout. The folder is assembled
next to its destination and renamed into place, so a failed write leaves
nothing half-made.

    python3 repro.py new-study DIR
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from downstream_safety.common.errors import InputError

TEMPLATE = Path(__file__).resolve().parent / "template"
WORKFLOW_PLACEHOLDER = "<workflow>"

SNAKEFILE = """\
# This study runs through the mixed-methods workflow as a Snakemake module: the
# folder holds only its configuration and data. If the workflow's checkout moves,
# change the path below.
#     snakemake --cores all
configfile: "config.yaml"


module study_workflow:
    snakefile:
        {snakefile!r}
    config:
        config


use rule * from study_workflow
"""


def write_study(dest: Path, workflow_root: Path) -> list[Path]:
    """Write the study folder ``dest``; return the files written (relative to it)."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InputError(
            str(dest),
            "exists and is not an empty folder",
            fix="name a new folder (it is created) or empty this one",
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    workflow_root = Path(workflow_root).resolve()
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=f".{dest.name}.") as tmp:
        staged = Path(tmp) / "study"
        shutil.copytree(TEMPLATE, staged, ignore=shutil.ignore_patterns("__pycache__"))
        snakefile = str(workflow_root / "Snakefile")
        (staged / "Snakefile").write_text(SNAKEFILE.format(snakefile=snakefile), "utf-8")
        readme = staged / "README.md"
        readme.write_text(
            readme.read_text("utf-8").replace(WORKFLOW_PLACEHOLDER, str(workflow_root)), "utf-8"
        )
        if dest.exists():
            dest.rmdir()  # empty, checked above
        os.replace(staged, dest)
    return sorted(p.relative_to(dest) for p in dest.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path, help="the new study's folder (created)")
    args = ap.parse_args(argv)
    root = Path(__file__).resolve().parents[3]
    if not (root / "Snakefile").is_file():
        print(
            f"Bug in the package: no workflow Snakefile at {root}; new-study runs from the "
            "workflow's checkout (python3 repro.py new-study DIR)",
            file=sys.stderr,
        )
        return 1
    try:
        files = write_study(args.folder, root)
    except InputError as err:
        print(err, file=sys.stderr)
        return 2
    print(f"wrote {len(files)} files to {args.folder}; next steps: {args.folder / 'README.md'}")
    print(f"run it: cd {args.folder} && {root / '.venv' / 'bin' / 'snakemake'} --cores all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
