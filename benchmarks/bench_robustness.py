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
from downstream_safety.instruments.load import load_codebook
from downstream_safety.interviews import schemas as interview_schemas
from downstream_safety.interviews.load import load_participants
from downstream_safety.paths import ROOT
from downstream_safety.robustness.bootstrap import resample_block
from downstream_safety.robustness.orders import interview_sets, order_points
from downstream_safety.robustness.quantities import all_quantities
from downstream_safety.survey import instrument as inst

MULTIPLIERS = [1, 10, 100]


def design() -> dict:
    items = inst.load_items()
    return {
        "items": items.ids,
        "n_levels": {i: items.n_levels(i) for i in items.ids},
        "practice_items": {
            p: {c: items.practice_item(p, c) for c in inst.CONTEXTS} for p in items.practices
        },
        "context_pairs": inst.CONTEXT_PAIRS,
        "demographics": inst.DEMOGRAPHICS,
        "screening_rules": [
            {"id": "experience", "exclude_if_any": {q: ["None"] for q in inst.DEMOGRAPHICS}},
            {"id": "description", "exclude_if_any": {"description_verdict": ["reject"]}},
        ],
        "rqs": sorted(set(load_codebook().themes["rq"])),
    }


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    rb, seed = cfg["robustness"], cfg["seed"]
    d = design()
    inp = SimpleNamespace(
        responses=ROOT / "data/processed/survey/responses.csv",
        annotations=ROOT / "data/raw/incidents/annotations.csv",
        adjudicated=ROOT / "data/raw/incidents/adjudicated.csv",
        codebook=ROOT / "data/raw/instruments/codebook_subthemes.csv",
    )
    quantities = all_quantities(inp, d, {"tests": cfg["survey"]["tests"]})
    order = load_participants(ROOT / "data/raw/interviews/participants.csv")["participant_id"]
    segments = read_table(
        ROOT / "data/processed/interviews/segments.csv", interview_schemas.SEGMENTS_CLEAN
    )
    sets = interview_sets(segments, order.tolist(), d["rqs"])
    methods = [m["id"] for m in rb["choices"]["saturation"]]
    params = cfg["interviews"]["saturation"]
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
