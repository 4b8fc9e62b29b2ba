"""Scaling: analysis cost against the number of respondents and incidents.

The shipped data are replicated k times (fresh respondent ids / incident ids)
and the stage computations are timed; a linear cost shows as a roughly
constant time per record across k.

    .venv/bin/python benchmarks/scaling.py
"""

from __future__ import annotations

import time

import pandas as pd
import yaml

from downstream_safety.incidents import counts
from downstream_safety.incidents.load import Taxonomy, load_adjudicated
from downstream_safety.instruments.design import design_settings, design_tables, load_design
from downstream_safety.paths import ROOT
from downstream_safety.survey import analysis
from downstream_safety.survey.load import read_wave
from downstream_safety.survey.stats import WilcoxonSettings

FACTORS = [1, 4, 16, 64]


def _best_of(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _study():
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))
    tables = design_tables(ROOT / "data/raw/instruments")
    return config, load_design(tables, design_settings(config))


def survey_rows(factor: int) -> tuple[int, float]:
    _, design = _study()
    wave = read_wave("wave1", ROOT / "data/raw/survey/wave1.csv", design)
    base = wave.responses
    copies = []
    for k in range(factor):
        part = base.copy()
        part["respondent_id"] = part["respondent_id"].astype(str) + f"_{k}"
        copies.append(part)
    responses = pd.concat(copies, ignore_index=True)
    responses = analysis.with_status(responses, design) if "status" not in responses else responses
    settings = WilcoxonSettings.from_config(
        {"alternative": "two-sided", "zero_method": "wilcox", "correction": False,
         "method": "approx", "alpha": 0.05, "p_adjust": "holm"}
    )  # fmt: skip
    order = sorted(responses["wave"].unique())

    def run():
        analysis.item_tables(responses, design, order)
        analysis.practice_tests(responses, design, order, settings)

    return len(responses), _best_of(run)


def incident_rows(factor: int) -> tuple[int, float]:
    config, design = _study()
    taxonomy = Taxonomy.of(design)
    adj = load_adjudicated(ROOT / config["incidents"]["adjudicated"], taxonomy)
    copies = []
    for k in range(factor):
        part = adj.copy()
        part["incident_id"] = part["incident_id"] + k * 100_000
        copies.append(part)
    big = pd.concat(copies, ignore_index=True)
    labels = taxonomy.labels

    def run():
        counts.subtheme_counts(big, labels)
        counts.cooccurrence(big, labels)

    return len(big), _best_of(run)


def main() -> None:
    print("\n| stage | records | seconds | microseconds per record |\n|---|---:|---:|---:|")
    for name, fn in [("survey statistics", survey_rows), ("incident counts", incident_rows)]:
        for factor in FACTORS:
            n, secs = fn(factor)
            print(f"| {name} | {n} | {secs:.3f} | {1e6 * secs / n:.0f} |")


if __name__ == "__main__":
    main()
