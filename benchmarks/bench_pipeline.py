"""Benchmarks: full pipeline from scratch, no-op rerun, and scaling.

Run with the pinned environment:

    .venv/bin/python benchmarks/bench_pipeline.py [--repeat N] [--skip-scaling]

Timings are printed as a Markdown table; they are measurements of this
machine, not assertions (no test depends on wall-clock time).
Targets on a 2-core machine: full pipeline < 60 s, no-op rerun < 5 s, and cost
that grows linearly with respondents and incidents (see scaling.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from downstream_safety.common.workspace import copy_inputs

BIN = Path(sys.executable).parent


def _snakemake(cwd: Path, *args: str) -> float:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "snakemake"), "--cores", "2", "--quiet", "all", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def bench_pipeline(repeat: int) -> dict[str, list[float]]:
    full, noop = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_inputs(Path(tmp) / "repo")
            full.append(_snakemake(work))
            noop.append(_snakemake(work))
    return {"full pipeline (clean copy)": full, "no-op rerun": noop}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--skip-scaling", action="store_true")
    args = ap.parse_args()
    rows = bench_pipeline(args.repeat)
    print("| benchmark | median s | runs |\n|---|---:|---:|")
    for name, times in rows.items():
        print(f"| {name} | {statistics.median(times):.1f} | {len(times)} |")
    if not args.skip_scaling:
        sys.path.insert(0, str(Path(__file__).parent))
        import scaling

        scaling.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
