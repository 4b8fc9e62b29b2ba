"""Free-form research-question ids through the whole workflow: the example
follow-up study with its RQ ids renamed to RQ-A, RQ-B, Q.3 and Rq4 (hyphen,
capitals, dot, digits) runs, and its numbers carry the keys the documented
rule gives (docs/adapting.md, "Number keys")."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "followup"
BIN = Path(sys.executable).parent
RENAME = {"RQ1": "RQ-A", "RQ2": "RQ-B", "RQ3": "Q.3", "RQ4": "Rq4"}
PARTS = {"RQ-A": "rq_a", "RQ-B": "rq_b", "Q.3": "q_3", "Rq4": "rq4"}  # by hand

pytestmark = pytest.mark.slow


def _rename(folder: Path) -> None:
    for path in [folder / "config.yaml", *folder.rglob("*.csv")]:
        text = path.read_text(encoding="utf-8")
        for old, new in RENAME.items():
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")


def test_free_form_rq_ids_run_and_give_rule_keys(tmp_path):
    dest = tmp_path / "followup"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns(
        "processed", "paper", "logs", ".snakemake", "notebooks"))  # fmt: skip
    _rename(dest)
    rqs = [r["rq"] for r in csv.DictReader((dest / "data/raw/instruments/research_questions.csv")
                                            .open(encoding="utf-8"))]  # fmt: skip
    assert rqs == list(RENAME.values())
    snakefile = dest / "Snakefile"
    snakefile.write_text(
        snakefile.read_text().replace('"../../Snakefile"', repr(str(REPO / "Snakefile")))
    )
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    env.pop("DOWNSTREAM_SAFETY_ROOT", None)
    res = subprocess.run([str(BIN / "snakemake"), "--cores", "2"], cwd=dest, env=env,
                         capture_output=True, text=True, timeout=1500)  # fmt: skip
    assert res.returncode == 0, (res.stdout + res.stderr)[-8000:]
    with (dest / "data/processed/interviews/numbers.csv").open(encoding="utf-8") as fh:
        keys = {r["key"] for r in csv.DictReader(fh)}
    for rq, p in PARTS.items():
        assert f"codes__{p}" in keys, rq
        assert f"saturation_guest2006__{p}" in keys, rq
