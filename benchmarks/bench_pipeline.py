"""Benchmarks, each reported as a ratio against a floor measured in the same run.

The floor is a Snakemake workflow with as many jobs as the pipeline, every job
a Python script that only imports pandas, pandera, scipy.stats and
matplotlib.pyplot and writes one file: what any job of this package would cost
before doing any work. Measured (wall-clock, this machine):

* fresh clone: ``git clone`` of this repository, then ``python3 repro.py run``
  (environment, pipeline, report), split into the environment build and the rest;
* the pipeline from scratch after installation (clean copy, ``--cores all``);
* a no-op rerun (Snakemake alone, and the whole ``python3 repro.py run``);
* an incremental rerun after adding a survey wave (and which rules reran);
* the floor.

Run with the pinned environment:

    .venv/bin/python benchmarks/bench_pipeline.py [--skip-clone] [--cold-cache] [--skip-scaling]

Timings are measurements of this machine, not assertions (no test depends on
wall-clock time).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from downstream_safety.common.workspace import copy_inputs
from downstream_safety.paths import MATPLOTLIBRC, ROOT

BIN = Path(sys.executable).parent
BASE_PYTHON = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
FLOOR_SCRIPT = """\
import pandas
import pandera.pandas
import scipy.stats
import matplotlib.pyplot

with open(snakemake.output[0], "w") as fh:
    fh.write("done\\n")
"""
FLOOR_SNAKEFILE = """\
rule all:
    input: expand("out/{{i}}.txt", i=range({n}))

rule job:
    output: "out/{{i}}.txt"
    script: "job.py"
"""
NEW_WAVE = "data/raw/survey/wave2.csv"


def _env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        MPLCONFIGDIR=str(work / ".snakemake" / "mplconfig"),
        MATPLOTLIBRC=str(MATPLOTLIBRC),
        SOURCE_DATE_EPOCH="0",
        PYTHONHASHSEED="0",
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as repro.py runs the pipeline
    return env


def snakemake(work: Path, *args: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    res = subprocess.run(
        [str(BIN / "snakemake"), "--cores", "all", *args],
        cwd=work,
        env={**_env(work), **(env or {})},
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - start
    if res.returncode:
        sys.exit(f"snakemake {' '.join(args)} failed in {work}:\n{res.stderr[-4000:]}")
    return took, res.stdout + res.stderr


def jobs_run(log: str) -> list[str]:
    return sorted(set(re.findall(r"^(?:local)?rule (\w+):", log, flags=re.M)) - {"all"})


def readers_and_dependants(work: Path, path: str) -> set[str]:
    """Rules that read ``path`` and every rule downstream of them, as Snakemake sees it."""
    _, log = snakemake(work, "-n", "--forceall")
    readers = set()
    for block in re.split(r"\n(?=(?:local)?rule \w+:)", log):
        m = re.match(r"(?:local)?rule (\w+):", block)
        inputs = re.search(r"^\s+input: (.*)$", block, flags=re.M)
        if m and inputs and path in inputs.group(1).split(", "):
            readers.add(m.group(1))
    _, log = snakemake(work, "-n", "--forcerun", *sorted(readers))
    return set(jobs_run(log)) | readers


def floor(work: Path, n_jobs: int) -> float:
    work.mkdir(parents=True)
    (work / "job.py").write_text(FLOOR_SCRIPT)
    (work / "Snakefile").write_text(FLOOR_SNAKEFILE.format(n=n_jobs))
    return snakemake(work)[0]


def add_wave(work: Path) -> None:
    """A second wave: the shipped respondents under new ids."""
    src = work / "data/raw/survey/wave1.csv"
    with src.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("respondent_id")
    for row in rows[1:]:
        row[col] = "W2" + row[col]
    with (work / NEW_WAVE).open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    cfg_path = work / "config/config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text())
    cfg["survey"]["waves"].append({"id": "wave2", "responses": NEW_WAVE})
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))


def without_robustness(work: Path) -> None:
    """The same study with the robustness stage switched off (its config key null)."""
    cfg_path = work / "config/config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text())
    cfg["robustness"] = None
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))


def fresh_clone(tmp: Path, cold_cache: bool) -> dict[str, float]:
    """`git clone` + `python3 repro.py run`, the environment build timed apart."""
    clone = tmp / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env.pop("DOWNSTREAM_SAFETY_VENV", None)
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != str(BIN))
    if cold_cache:
        env["UV_CACHE_DIR"] = str(tmp / "uv-cache")
        env["PIP_NO_CACHE_DIR"] = "1"
    start = time.perf_counter()
    proc = subprocess.Popen(
        [BASE_PYTHON, "repro.py", "run"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    env_ready = None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if env_ready is None and line.startswith("[repro] environment ready"):
            env_ready = time.perf_counter() - start
    total = time.perf_counter() - start
    if proc.wait():
        sys.exit("repro.py run failed in the fresh clone:\n" + "".join(lines[-40:]))
    installer = "uv" if "built with uv" in "".join(lines) else "pip"
    print(f"fresh clone: environment built with {installer}", file=sys.stderr)
    start = time.perf_counter()
    subprocess.run([BASE_PYTHON, "repro.py", "run"], cwd=clone, env=env, check=True,
                   capture_output=True)  # fmt: skip
    noop = time.perf_counter() - start
    return {"total": total, "env": env_ready or 0.0, "noop": noop}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-clone", action="store_true", help="skip the fresh-clone run")
    ap.add_argument("--cold-cache", action="store_true", help="fresh clone with empty caches")
    ap.add_argument("--skip-scaling", action="store_true")
    args = ap.parse_args()
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        work = copy_inputs(tmp / "repo")
        full, log = snakemake(work)
        n_jobs = len(re.findall(r"^Finished jobid", log, flags=re.M)) - 1  # minus rule all
        noop, _ = snakemake(work)
        add_wave(work)
        incremental, log = snakemake(work)
        reran = jobs_run(log)
        allowed = readers_and_dependants(work, NEW_WAVE)
        outside = [r for r in reran if r not in allowed]
        floor_s = floor(tmp / "floor", n_jobs)
        lean = copy_inputs(tmp / "lean")
        without_robustness(lean)
        lean_s, log = snakemake(lean)
        n_lean = len(re.findall(r"^Finished jobid", log, flags=re.M)) - 1
        rows += [
            ("floor: same number of jobs, imports only", floor_s, f"{n_jobs} jobs"),
            ("pipeline from scratch (after installation)", full, f"{n_jobs} jobs"),
            ("  the same without the robustness stage", lean_s, f"{n_lean} jobs"),
            (
                "  added cost of the robustness stage",
                full - lean_s,
                f"{n_jobs - n_lean} jobs; the difference of the two runs above",
            ),
            ("no-op rerun (Snakemake)", noop, ""),
            (
                "incremental rerun after adding a survey wave",
                incremental,
                f"{len(reran)} of {n_jobs} rules reran; not readers of the new wave or"
                f" their dependants: {outside or 'none'}",
            ),
        ]
        if not args.skip_clone:
            clone = fresh_clone(tmp, args.cold_cache)
            cache = "cold caches" if args.cold_cache else "warm uv cache"
            rows += [
                (f"fresh clone: `python3 repro.py run` ({cache})", clone["total"], ""),
                ("  of which the environment build", clone["env"], ""),
                ("  of which pipeline and report", clone["total"] - clone["env"], ""),
                ("no-op rerun (`python3 repro.py run`)", clone["noop"], "report kept"),
            ]
    print("| benchmark | s | ratio to floor | note |\n|---|---:|---:|---|")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds:.1f} | {seconds / floor_s:.2f} | {note} |")
    if not args.skip_scaling:
        sys.path.insert(0, str(Path(__file__).parent))
        import scaling

        scaling.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
