"""A throw-away workflow with only the paper stage, fed by hand-made inputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from downstream_safety.paths import ROOT
from tests.paper.fixtures import write_stage_outputs

BIN = Path(sys.executable).parent

MINI_SNAKEFILE = """\
configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/instruments.smk"




include: "workflow/rules/paper.smk"
include: "workflow/rules/synthesis.smk"


rule all:
    default_target: True
    input:
        final_targets,
"""


def mini_workflow(dest: Path, config: dict | None = None) -> Path:
    """Copy what the paper and synthesis stages need and write hand-made stage
    outputs; ``config`` overrides top-level keys of the default config."""
    ignore = shutil.ignore_patterns("__pycache__", "executed")
    shutil.copytree(ROOT / "src", dest / "src", ignore=ignore)
    shutil.copytree(ROOT / "config", dest / "config")
    for sub in ["schemas", "report", "envs", "scripts"]:
        shutil.copytree(ROOT / "workflow" / sub, dest / "workflow" / sub, ignore=ignore)
    (dest / "workflow" / "rules").mkdir()
    for name in ["common.smk", "instruments.smk", "paper.smk", "synthesis.smk"]:
        shutil.copy2(ROOT / "workflow" / "rules" / name, dest / "workflow" / "rules" / name)
    for sub in ["instruments", "published", "interviews"]:
        shutil.copytree(ROOT / "data" / "raw" / sub, dest / "data" / "raw" / sub)
    shutil.copytree(ROOT / "notebooks", dest / "notebooks", ignore=ignore)
    (dest / "paper").mkdir()
    for name in ["main.tex", "replication.sty"]:
        shutil.copy2(ROOT / "paper" / name, dest / "paper" / name)
    path = dest / "config" / "config.yaml"
    cfg = yaml.safe_load(path.read_text())
    # The copy has no incident rules: the checks against real AIID labels are an
    # incident-stage output (tested on the full pipeline, tests/incidents/test_realdata.py).
    if cfg.get("incidents"):
        cfg["incidents"]["real_checks"] = None
    path.write_text(yaml.safe_dump({**cfg, **(config or {})}))
    (dest / "Snakefile").write_text(MINI_SNAKEFILE)
    write_stage_outputs(dest)
    return dest


def snakemake(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the pinned Snakemake in ``root`` with the copy's own package first on the path."""
    env = dict(os.environ)
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(root / "src"),
        MPLCONFIGDIR=str(root / ".snakemake" / "mplconfig"),
        MATPLOTLIBRC=str(root / "src" / "downstream_safety" / "common" / "matplotlibrc"),
        SOURCE_DATE_EPOCH="0",
        PYTHONHASHSEED="0",
    )
    return subprocess.run(
        [str(BIN / "snakemake"), "--cores", "2", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
