# Robustness: a multiverse of analysis specifications for every inferential
# conclusion, bootstrap intervals, and saturation over random interview orders.
# Split into chunk jobs (count from config) and gathered; every resample and
# order draws from its own seed, so results do not depend on the chunking.
# Its jobs form the longest chain of a run (chunks, gather, three figures), so
# they have priority 1: started first among ready jobs, they overlap with the
# other stages instead of ending the run. Priority only orders jobs.
ROBUST = config.get("robustness")
# Conclusions come from the strands that run: paired tests and rankings from
# the survey, saturation from the interviews, agreement from the incident
# annotations. Rules and inputs of a strand that is off are left out.
ROBUST_STRANDS = ["survey", "interviews", "incidents"]
if ROBUST is not None and not any(stage_on(s) for s in ROBUST_STRANDS):
    raise WorkflowError(
        f"Invalid configuration (file(s): {CONFIG_FILES}): the robustness stage draws its "
        "conclusions from the survey, interviews or incidents stages, and all three are "
        "switched off.\nfix: set 'robustness: null', or switch a stage on."
    )
ROBUST_OUT = "data/processed/robustness"
ROBUST_CHUNKS = list(range(ROBUST["chunks"])) if ROBUST else []

if ROBUST is not None:
    from downstream_safety.robustness import settings as _rb_settings

    ROBUST_ON = {s: stage_on(s) for s in ROBUST_STRANDS}
    ROBUST_DESIGN = _rb_settings.stage_design(DESIGN, ROBUST["ranking_statistics"])
    parse_time_check(
        _rb_settings.check,
        ROBUST,
        DESIGN.screening,
        config["survey"]["tests"] if ROBUST_ON["survey"] else None,
    )

    # The published registry, when the study has one, names the paired tests.
    ROBUST_CLAIMS = (
        {"claims": config["paper"]["published_claims"]}
        if config["paper"]["published_claims"]
        else {}
    )
    ROBUST_SETTINGS = _rb_settings.stage_settings(config)
    # Inputs per strand: the analysis tables the conclusions are read off, the
    # tables the specifications recompute from, and the bootstrap's raw data.
    ROBUST_CONCLUSION_INPUTS = {
        "survey": {
            "practice_tests": "data/processed/survey/practice_tests.csv",
            "item_summary": "data/processed/survey/item_summary.csv",
        },
        "interviews": {
            "saturation": "data/processed/interviews/saturation_summary.csv"
        },
        "incidents": {"agreement": "data/processed/incidents/agreement.csv"},
    }
    ROBUST_SPEC_INPUTS = {
        "survey": {"responses": "data/processed/survey/responses.csv"},
        "interviews": (
            {
                "segments": "data/processed/interviews/segments.csv",
                "participants": config["interviews"]["participants"],
            }
            if ROBUST_ON["interviews"]
            else {}
        ),
        "incidents": {
            "agreement": "data/processed/incidents/agreement.csv",
            "agreement_labels": "data/processed/incidents/agreement_labels.csv",
        },
    }
    # The interview coders' agreement: a conclusion only when its rule runs (two or
    # more coders) and a kappa threshold is set; otherwise no input is added.
    ROBUST_CODER_TABLE = (
        {"coder_agreement": rules.interviews_coder_agreement.output.agreement}
        if ROBUST_ON["interviews"] and SEVERAL_CODERS and KAPPA_THRESHOLD is not None
        else {}
    )
    ROBUST_CODER_SPEC_INPUTS = (
        {
            **ROBUST_CODER_TABLE,
            "interview_codes": rules.interviews_segments.output.codes,
        }
        if ROBUST_CODER_TABLE
        else {}
    )
    ROBUST_BOOT_INPUTS = {
        "survey": {"responses": "data/processed/survey/responses.csv"},
        "incidents": (
            {
                "annotations": config["incidents"]["annotations"],
                "adjudicated": config["incidents"]["adjudicated"],
            }
            if ROBUST_ON["incidents"]
            else {}
        ),
    }
    # Bootstrap intervals need survey answers or incident annotations; the
    # saturation over interview orders needs the interviews.
    ROBUST_BOOT = ROBUST_ON["survey"] or ROBUST_ON["incidents"]
    ROBUST_FIGURES = (
        (["robustness_specification_curve"] if ROBUST_ON["survey"] else [])
        + (["robustness_intervals"] if ROBUST_BOOT else [])
        + (["robustness_saturation_orders"] if ROBUST_ON["interviews"] else [])
    )

    rule robustness_conclusions:
        input:
            **ROBUST_CLAIMS,
            **stage_inputs(ROBUST_CONCLUSION_INPUTS, *ROBUST_STRANDS),
            **ROBUST_CODER_TABLE,
            design=DESIGN_VIEWS["analysis"],
        output:
            conclusions=f"{ROBUST_OUT}/conclusions.csv",
        log:
            "logs/robustness/conclusions.log",
        priority: 1
        conda:
            ENV
        params:
            robust_design=ROBUST_DESIGN,
            settings=ROBUST_SETTINGS,
        script:
            "../scripts/robustness_conclusions.py"

    rule robustness_specifications_chunk:
        input:
            **stage_inputs(ROBUST_SPEC_INPUTS, *ROBUST_STRANDS),
            **ROBUST_CODER_SPEC_INPUTS,
            design=DESIGN_VIEWS["analysis"],
            conclusions=rules.robustness_conclusions.output.conclusions,
        output:
            chunk=temp(f"{ROBUST_OUT}/chunks/specifications_{{chunk}}.csv"),
        log:
            "logs/robustness/specifications_{chunk}.log",
        priority: 1
        conda:
            ENV
        params:
            robust_design=ROBUST_DESIGN,
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

    ROBUST_TARGETS = [*rules.robustness_specifications.output]
    ROBUST_FIGURE_INPUTS = {}
    if ROBUST_BOOT:

        rule robustness_resamples_chunk:
            input:
                **stage_inputs(ROBUST_BOOT_INPUTS, "survey", "incidents"),
                design=DESIGN_VIEWS["analysis"],
            output:
                chunk=temp(f"{ROBUST_OUT}/chunks/resamples_{{chunk}}.npy"),
            log:
                "logs/robustness/resamples_{chunk}.log",
            priority: 1
            conda:
                ENV
            params:
                robust_design=ROBUST_DESIGN,
                settings=ROBUST_SETTINGS,
                chunk=lambda wc: int(wc.chunk),
            script:
                "../scripts/robustness_resamples_chunk.py"

        rule robustness_intervals:
            input:
                **stage_inputs(ROBUST_BOOT_INPUTS, "survey", "incidents"),
                design=DESIGN_VIEWS["analysis"],
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
                robust_design=ROBUST_DESIGN,
                settings=ROBUST_SETTINGS,
            script:
                "../scripts/robustness_intervals.py"

    if ROBUST_ON["interviews"]:

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
                robust_design=ROBUST_DESIGN,
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

    if ROBUST_BOOT:
        ROBUST_TARGETS += [*rules.robustness_intervals.output]
        ROBUST_FIGURE_INPUTS["intervals"] = (
            rules.robustness_intervals.output.intervals
        )
    if ROBUST_ON["interviews"]:
        ROBUST_TARGETS += [*rules.robustness_orders.output]
        ROBUST_FIGURE_INPUTS.update(
            orders=rules.robustness_orders.output.orders,
            saturation="data/processed/interviews/saturation_summary.csv",
        )
    if ROBUST_ON["survey"]:
        ROBUST_FIGURE_INPUTS["specifications"] = (
            rules.robustness_specifications.output.specifications
        )

    rule robustness_figures:
        input:
            **ROBUST_FIGURE_INPUTS,
            design=DESIGN_VIEWS["analysis"],
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
            figures=ROBUST_FIGURES,
            stems=[f"paper/figures/{fig}" for fig in ROBUST_FIGURES],
            # The quantities the conclusions rest on; intervals.csv has all.
            forest_kinds=[
                "mean",
                "practice_score",
                "effect_size_r",
                "incidents_pct",
                "kappa",
            ],
        script:
            "../scripts/robustness_figures.py"

    ROBUST_TARGETS += [*rules.robustness_figures.output]

    rule robustness:
        input:
            ROBUST_TARGETS,

    register_targets("robustness", ROBUST_TARGETS)

    localrules:
        robustness,
