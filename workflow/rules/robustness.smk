# Robustness: a multiverse of analysis specifications for every inferential
# conclusion, bootstrap intervals, and saturation over random interview orders.
# Split into chunk jobs (count from config) and gathered; every resample and
# order draws from its own seed, so results do not depend on the chunking.
# Its jobs form the longest chain of a run (chunks, gather, three figures), so
# they have priority 1: started first among ready jobs, they overlap with the
# other stages instead of ending the run. Priority only orders jobs.
ROBUST = config.get("robustness")
# The conclusions combine the survey, the interviews and the incident
# annotations: the stage runs when all three strands do.
ROBUST_STRANDS = ["survey", "interviews", "incidents"]
if ROBUST is not None and not all(stage_on(s) for s in ROBUST_STRANDS):
    _off = [s for s in ROBUST_STRANDS if not stage_on(s)]
    raise WorkflowError(
        f"Invalid configuration (file(s): {CONFIG_FILES}): the robustness stage needs the "
        f"survey, interviews and incidents stages, but {', '.join(_off)} is switched off.\n"
        "fix: set 'robustness: null', or switch the stage(s) on."
    )
ROBUST_OUT = "data/processed/robustness"
ROBUST_CHUNKS = list(range(ROBUST["chunks"])) if ROBUST else []

if ROBUST is not None:
    from downstream_safety.robustness import settings as _rb_settings

    parse_time_check(_rb_settings.check, ROBUST, DESIGN.screening)

    # The published registry, when the study has one, names the conclusions.
    ROBUST_CLAIMS = (
        {"claims": config["paper"]["published_claims"]}
        if config["paper"]["published_claims"]
        else {}
    )
    ROBUST_SETTINGS = _rb_settings.stage_settings(config)
    ROBUST_FIGURES = [
        "robustness_specification_curve",
        "robustness_intervals",
        "robustness_saturation_orders",
    ]

    rule robustness_conclusions:
        input:
            **ROBUST_CLAIMS,
            design=DESIGN_VIEWS["analysis"],
            practice_tests="data/processed/survey/practice_tests.csv",
            item_summary="data/processed/survey/item_summary.csv",
            saturation="data/processed/interviews/saturation_summary.csv",
            agreement="data/processed/incidents/agreement.csv",
        output:
            conclusions=f"{ROBUST_OUT}/conclusions.csv",
        log:
            "logs/robustness/conclusions.log",
        priority: 1
        conda:
            ENV
        params:
            settings=ROBUST_SETTINGS,
        script:
            "../scripts/robustness_conclusions.py"

    rule robustness_specifications_chunk:
        input:
            design=DESIGN_VIEWS["analysis"],
            conclusions=rules.robustness_conclusions.output.conclusions,
            responses="data/processed/survey/responses.csv",
            segments="data/processed/interviews/segments.csv",
            participants=config["interviews"]["participants"],
            agreement="data/processed/incidents/agreement.csv",
            agreement_labels="data/processed/incidents/agreement_labels.csv",
        output:
            chunk=temp(f"{ROBUST_OUT}/chunks/specifications_{{chunk}}.csv"),
        log:
            "logs/robustness/specifications_{chunk}.log",
        priority: 1
        conda:
            ENV
        params:
            settings=ROBUST_SETTINGS,
            chunk=lambda wc: int(wc.chunk),
        script:
            "../scripts/robustness_specifications_chunk.py"

    rule robustness_specifications:
        input:
            conclusions=rules.robustness_conclusions.output.conclusions,
            chunks=expand(
                f"{ROBUST_OUT}/chunks/specifications_{{chunk}}.csv",
                chunk=ROBUST_CHUNKS,
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
        priority: 1
        conda:
            ENV
        params:
            settings=ROBUST_SETTINGS,
        script:
            "../scripts/robustness_specifications.py"

    rule robustness_resamples_chunk:
        input:
            design=DESIGN_VIEWS["analysis"],
            responses="data/processed/survey/responses.csv",
            annotations=config["incidents"]["annotations"],
            adjudicated=config["incidents"]["adjudicated"],
        output:
            chunk=temp(f"{ROBUST_OUT}/chunks/resamples_{{chunk}}.npy"),
        log:
            "logs/robustness/resamples_{chunk}.log",
        priority: 1
        conda:
            ENV
        params:
            settings=ROBUST_SETTINGS,
            chunk=lambda wc: int(wc.chunk),
        script:
            "../scripts/robustness_resamples_chunk.py"

    rule robustness_intervals:
        input:
            design=DESIGN_VIEWS["analysis"],
            responses="data/processed/survey/responses.csv",
            annotations=config["incidents"]["annotations"],
            adjudicated=config["incidents"]["adjudicated"],
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
        priority: 1
        conda:
            ENV
        params:
            settings=ROBUST_SETTINGS,
        script:
            "../scripts/robustness_intervals.py"

    rule robustness_orders_chunk:
        input:
            design=DESIGN_VIEWS["analysis"],
            segments="data/processed/interviews/segments.csv",
            participants=config["interviews"]["participants"],
        output:
            chunk=temp(f"{ROBUST_OUT}/chunks/orders_{{chunk}}.csv"),
        log:
            "logs/robustness/orders_{chunk}.log",
        priority: 1
        conda:
            ENV
        params:
            settings=ROBUST_SETTINGS,
            chunk=lambda wc: int(wc.chunk),
        script:
            "../scripts/robustness_orders_chunk.py"

    rule robustness_orders:
        input:
            chunks=expand(
                f"{ROBUST_OUT}/chunks/orders_{{chunk}}.csv", chunk=ROBUST_CHUNKS
            ),
        output:
            orders=report(
                f"{ROBUST_OUT}/saturation_orders.csv",
                caption="../report/robustness_saturation_orders.rst",
                category="Robustness",
            ),
        log:
            "logs/robustness/orders.log",
        priority: 1
        conda:
            ENV
        params:
            settings=ROBUST_SETTINGS,
        script:
            "../scripts/robustness_orders.py"

    rule robustness_figures:
        input:
            design=DESIGN_VIEWS["analysis"],
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
        priority: 1
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
