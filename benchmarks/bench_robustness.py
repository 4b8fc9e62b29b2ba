"""Cost of the robustness stage's resampling as the number of resamples grows.

Times the bootstrap resampling (every quantity of the paper study) and the
random interview orders at 1x, 10x and 100x the configured defaults, each as a
ratio against a floor measured in the same run (the same work at 1x), so the
numbers compare across machines. Linear growth means ratio ~ multiplier. The
floor is the fastest of three warm runs; run it on an otherwise idle machine.

    .venv/bin/python benchmarks/bench_robustness.py
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import yaml

from downstream_safety.common.tableio import read_table
from downstream_safety.instruments.design import design_settings, design_tables, load_design
from downstream_safety.interviews import schemas as interview_schemas
from downstream_safety.interviews.load import load_participants
from downstream_safety.paths import ROOT
from downstream_safety.robustness.bootstrap import resample_block
from downstream_safety.robustness.orders import interview_sets, order_points
from downstream_safety.robustness.quantities import all_quantities
from downstream_safety.robustness.settings import stage_design, stage_settings

MULTIPLIERS = [1, 10, 100]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    """The paper study's inputs as the workflow's jobs get them (after a pipeline run)."""
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    study = load_design(design_tables(ROOT / "data/raw/instruments"), design_settings(cfg))
    d, rb = stage_design(study), stage_settings(cfg)
    seed = rb["seed"]
    inp = SimpleNamespace(
        responses=ROOT / "data/processed/survey/responses.csv",
        annotations=ROOT / cfg["incidents"]["annotations"],
        adjudicated=ROOT / cfg["incidents"]["adjudicated"],
    )
    quantities = all_quantities(inp, d, rb, study)
    order = load_participants(ROOT / cfg["interviews"]["participants"], study)["participant_id"]
    segments = read_table(
        ROOT / "data/processed/interviews/segments.csv",
        interview_schemas.segments_clean_schema(study),
    )
    sets = interview_sets(segments, order.tolist(), d["rqs"])
    methods = [m["id"] for m in rb["choices"]["saturation"]]
    params = rb["saturation_params"]
    work = {
        "bootstrap resamples": lambda n: resample_block(
            quantities, seed, range(n * rb["n_resamples"])
        ),
        "interview orders": lambda n: order_points(
            sets, methods, params, seed, range(n * rb["n_orders"])
        ),
    }
    print(f"{len(quantities)} bootstrap quantities")
    print("| workload | multiplier | seconds | ratio to 1x |")
    print("|---|---:|---:|---:|")
    for name, fn in work.items():
        fn(1)  # warm-up: imports, caches
        floor = min(timed(lambda fn=fn: fn(1)) for _ in range(3))
        for m in MULTIPLIERS:
            t = floor if m == 1 else timed(lambda m=m, fn=fn: fn(m))
            print(f"| {name} | {m}x | {t:.2f} | {t / floor:.1f} |")


if __name__ == "__main__":
    main()
