# Robustness: a multiverse of analysis specifications for every inferential
# conclusion, bootstrap intervals, and saturation over random interview orders.
# Split into chunk jobs (count from config) and gathered; every resample and
# order draws from its own seed, so results do not depend on the chunking.
ROBUST = config["robustness"]
ROBUST_OUT = "data/processed/robustness"
ROBUST_CHUNKS = list(range(ROBUST["chunks"]))

# ---- Study design used by this stage -----------------------------------------
# The only place where the robustness stage learns the design (items, contexts,
# context pairs, blocks, demographics, screening rules, research questions).
# Everything below receives it through params.
from downstream_safety.instruments.load import load_codebook as _rb_codebook
from downstream_safety.survey import instrument as _rb_inst
from downstream_safety.survey.load import POOLED as _RB_POOLED

_RB_ITEMS = _rb_inst.load_items()
ROBUST_DESIGN = {
    "items": _RB_ITEMS.ids,
    "n_levels": {i: _RB_ITEMS.n_levels(i) for i in _RB_ITEMS.ids},
    "blocks": {
        b: _RB_ITEMS.of_block(b) for b in dict.fromkeys(_RB_ITEMS.table["block"])
    },
    "practice_items": {
        p: {c: _RB_ITEMS.practice_item(p, c) for c in _rb_inst.CONTEXTS}
        for p in _RB_ITEMS.practices
    },
    "context_pairs": [list(p) for p in _rb_inst.CONTEXT_PAIRS],
    "demographics": _rb_inst.DEMOGRAPHICS,
    # As survey.load.screen: stage 1 experience, stage 2 project description.
    "screening_rules": [
        {
            "id": "experience",
            "exclude_if_any": {q: ["None"] for q in _rb_inst.DEMOGRAPHICS},
        },
        {"id": "description", "exclude_if_any": {"description_verdict": ["reject"]}},
    ],
    "rqs": sorted(set(_rb_codebook().themes["rq"])),
    "pooled_wave": _RB_POOLED,
}
# -------------------------------------------------------------------------------

from downstream_safety.robustness.settings import check as _rb_check

parse_time_check(_rb_check, ROBUST, ROBUST_DESIGN["screening_rules"])

ROBUST_SETTINGS = {
    "seed": config["seed"],
    "alpha": config["survey"]["tests"]["alpha"],
    "alternative": config["survey"]["tests"]["alternative"],
    "tests": config["survey"]["tests"],
    "saturation_params": config["interviews"]["saturation"],
    **ROBUST,
}
ROBUST_FIGURES = [
    "robustness_specification_curve",
    "robustness_intervals",
    "robustness_saturation_orders",
]


rule robustness_conclusions:
    input:
        practice_tests="data/processed/survey/practice_tests.csv",
        item_summary="data/processed/survey/item_summary.csv",
        saturation="data/processed/interviews/saturation_summary.csv",
        agreement="data/processed/incidents/agreement.csv",
        claims="data/raw/published/claims.csv",
    output:
        conclusions=f"{ROBUST_OUT}/conclusions.csv",
    log:
        "logs/robustness/conclusions.log",
    conda:
        ENV
    params:
        design=ROBUST_DESIGN,
        settings=ROBUST_SETTINGS,
    script:
        "../scripts/robustness_conclusions.py"


rule robustness_specifications_chunk:
    input:
        conclusions=rules.robustness_conclusions.output.conclusions,
        responses="data/processed/survey/responses.csv",
        segments="data/processed/interviews/segments.csv",
        participants="data/raw/interviews/participants.csv",
        agreement="data/processed/incidents/agreement.csv",
        agreement_labels="data/processed/incidents/agreement_labels.csv",
    output:
        chunk=temp(f"{ROBUST_OUT}/chunks/specifications_{{chunk}}.csv"),
    log:
        "logs/robustness/specifications_{chunk}.log",
    conda:
        ENV
    params:
        design=ROBUST_DESIGN,
        settings=ROBUST_SETTINGS,
        chunk=lambda wc: int(wc.chunk),
    script:
        "../scripts/robustness_specifications_chunk.py"


rule robustness_specifications:
    input:
        conclusions=rules.robustness_conclusions.output.conclusions,
        chunks=expand(
            f"{ROBUST_OUT}/chunks/specifications_{{chunk}}.csv", chunk=ROBUST_CHUNKS
        ),
    output:
        specifications=report(
            f"{ROBUST_OUT}/specifications.csv",
            caption="../report/robustness_specifications.rst",
            category="Robustness",
        ),
        summary=report(
            f"{ROBUST_OUT}/summary.csv",
            caption="../report/robustness_summary.rst",
            category="Robustness",
        ),
        html=report(
            f"{ROBUST_OUT}/summary.html",
            caption="../report/robustness_page.rst",
            category="Robustness",
        ),
    log:
        "logs/robustness/specifications.log",
    conda:
        ENV
    params:
        settings=ROBUST_SETTINGS,
    script:
        "../scripts/robustness_specifications.py"


rule robustness_resamples_chunk:
    input:
        responses="data/processed/survey/responses.csv",
        annotations="data/raw/incidents/annotations.csv",
        adjudicated="data/raw/incidents/adjudicated.csv",
        codebook="data/raw/instruments/codebook_subthemes.csv",
    output:
        chunk=temp(f"{ROBUST_OUT}/chunks/resamples_{{chunk}}.npy"),
    log:
        "logs/robustness/resamples_{chunk}.log",
    conda:
        ENV
    params:
        design=ROBUST_DESIGN,
        settings=ROBUST_SETTINGS,
        chunk=lambda wc: int(wc.chunk),
    script:
        "../scripts/robustness_resamples_chunk.py"


rule robustness_intervals:
    input:
        responses="data/processed/survey/responses.csv",
        annotations="data/raw/incidents/annotations.csv",
        adjudicated="data/raw/incidents/adjudicated.csv",
        codebook="data/raw/instruments/codebook_subthemes.csv",
        chunks=expand(
            f"{ROBUST_OUT}/chunks/resamples_{{chunk}}.npy", chunk=ROBUST_CHUNKS
        ),
    output:
        intervals=report(
            f"{ROBUST_OUT}/intervals.csv",
            caption="../report/robustness_intervals.rst",
            category="Robustness",
        ),
    log:
        "logs/robustness/intervals.log",
    conda:
        ENV
    params:
        design=ROBUST_DESIGN,
        settings=ROBUST_SETTINGS,
    script:
        "../scripts/robustness_intervals.py"


rule robustness_orders_chunk:
    input:
        segments="data/processed/interviews/segments.csv",
        participants="data/raw/interviews/participants.csv",
    output:
        chunk=temp(f"{ROBUST_OUT}/chunks/orders_{{chunk}}.csv"),
    log:
        "logs/robustness/orders_{chunk}.log",
    conda:
        ENV
    params:
        design=ROBUST_DESIGN,
        settings=ROBUST_SETTINGS,
        chunk=lambda wc: int(wc.chunk),
    script:
        "../scripts/robustness_orders_chunk.py"


rule robustness_orders:
    input:
        chunks=expand(f"{ROBUST_OUT}/chunks/orders_{{chunk}}.csv", chunk=ROBUST_CHUNKS),
    output:
        orders=report(
            f"{ROBUST_OUT}/saturation_orders.csv",
            caption="../report/robustness_saturation_orders.rst",
            category="Robustness",
        ),
    log:
        "logs/robustness/orders.log",
    conda:
        ENV
    params:
        settings=ROBUST_SETTINGS,
    script:
        "../scripts/robustness_orders.py"


rule robustness_figures:
    input:
        specifications=rules.robustness_specifications.output.specifications,
        intervals=rules.robustness_intervals.output.intervals,
        orders=rules.robustness_orders.output.orders,
        saturation="data/processed/interviews/saturation_summary.csv",
    output:
        report(
            expand("paper/figures/{fig}.png", fig=ROBUST_FIGURES),
            caption="../report/robustness_figures.rst",
            category="Robustness",
        ),
        expand("paper/figures/{fig}.{ext}", fig=ROBUST_FIGURES, ext=["pdf", "svg"]),
    log:
        "logs/robustness/figures.log",
    conda:
        ENV
    params:
        settings=ROBUST_SETTINGS,
        stems=[f"paper/figures/{fig}" for fig in ROBUST_FIGURES],
        # The quantities the paper's statements rest on; intervals.csv has all.
        forest_kinds=[
            "mean",
            "practice_score",
            "effect_size_r",
            "incidents_pct",
            "kappa",
        ],
    script:
        "../scripts/robustness_figures.py"


ROBUST_TARGETS = [
    *rules.robustness_specifications.output,
    *rules.robustness_intervals.output,
    *rules.robustness_orders.output,
    *rules.robustness_figures.output,
]


rule robustness:
    input:
        ROBUST_TARGETS,


register_targets("robustness", ROBUST_TARGETS)


localrules:
    robustness,
