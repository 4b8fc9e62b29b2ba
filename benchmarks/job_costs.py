"""Where the pipeline's time goes: one line per Python process of a full run.

Runs the pipeline from scratch in a clean copy with a ``sitecustomize`` on the
path that records, for every Python process the run starts (Snakemake itself,
each job's script, each notebook kernel), its wall time, its CPU
time and the time spent in import statements. Prints the processes grouped by
rule, costliest first.

    .venv/bin/python benchmarks/job_costs.py [--cores N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from downstream_safety.common.workspace import copy_inputs

BIN = Path(sys.executable).parent

# Installed as sitecustomize.py: it runs before anything else in each process.
RECORDER = r"""
import atexit, builtins, json, os, sys, time
_t0 = time.perf_counter()
_out = os.environ["JOB_COSTS_OUT"]
_import = builtins.__import__
_state = {"depth": 0, "spent": 0.0}

def _timed_import(*args, **kwargs):
    # Only the outermost import is timed: nested ones are part of it.
    _state["depth"] += 1
    t = time.perf_counter()
    try:
        return _import(*args, **kwargs)
    finally:
        _state["depth"] -= 1
        if _state["depth"] == 0:
            _state["spent"] += time.perf_counter() - t

builtins.__import__ = _timed_import

@atexit.register
def _record():
    cpu = os.times()
    with open(_out, "a") as fh:
        fh.write(json.dumps({
            "argv": sys.argv[:3], "wall": time.perf_counter() - _t0,
            "cpu": cpu.user + cpu.system, "imports": _state["spent"],
        }) + "\n")
"""


def label(argv: list[str]) -> str:
    joined = " ".join(argv)
    if "ipykernel" in joined:
        return "notebook kernel"
    for a in argv:
        if "/.snakemake/scripts/" in a:
            # tmpXXXX.<script>.py
            return "job " + Path(a).name.split(".", 1)[1].removesuffix(".py")
    if "snakemake" in joined:
        return "snakemake (scheduler)"
    return "other: " + Path(argv[0]).name if argv else "other"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cores", default="all")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_inputs(Path(tmp) / "repo")
        site = Path(tmp) / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(RECORDER)
        out = Path(tmp) / "costs.jsonl"
        env = dict(os.environ)
        env.update(
            PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            PYTHONPATH=os.pathsep.join(p for p in [str(site), env.get("PYTHONPATH")] if p),
            JOB_COSTS_OUT=str(out),
            MPLCONFIGDIR=str(work / ".snakemake" / "mplconfig"),
            SOURCE_DATE_EPOCH="0",
            PYTHONHASHSEED="0",
        )
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as repro.py runs the pipeline
        start = time.perf_counter()
        subprocess.run(
            [str(BIN / "snakemake"), "--cores", args.cores, "--quiet", "all"],
            cwd=work,
            env=env,
            check=True,
            capture_output=True,
        )
        total = time.perf_counter() - start
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[label(r["argv"])].append(r)
    print(f"pipeline from scratch: {total:.1f} s wall, {len(rows)} Python processes\n")
    print("| process | n | wall s | CPU s | imports s |")
    print("|---|---:|---:|---:|---:|")
    order = sorted(groups.items(), key=lambda kv: -sum(r["wall"] for r in kv[1]))
    for name, rs in order:
        wall = sum(r["wall"] for r in rs)
        cpu = sum(r["cpu"] for r in rs)
        imp = sum(r["imports"] for r in rs)
        print(f"| {name} | {len(rs)} | {wall:.1f} | {cpu:.1f} | {imp:.1f} |")
    jobs = [r for name, rs in groups.items() if name.startswith("job ") for r in rs]
    print(
        f"\njobs: {len(jobs)}, total wall {sum(r['wall'] for r in jobs):.1f} s, of which "
        f"imports {sum(r['imports'] for r in jobs):.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
