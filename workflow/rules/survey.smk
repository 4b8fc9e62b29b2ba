# Survey: screening, Likert item statistics, Wilcoxon tests of practices across
# concern contexts, one figure per survey block and the demographics table.
# Driven by the wave list in config["survey"]["waves"] (a new wave needs one file
# and one entry) and by the design: blocks, items, scales, contexts, demographic
# questions and screening rules.
if stage_on("survey"):

    from downstream_safety.survey.load import validate_waves
    from downstream_safety.survey.platforms import uses_platform

    SURVEY = config["survey"]
    # Every wave is read and checked now, so bad input stops the run before any job.
    SURVEY_WAVES = parse_time_check(validate_waves, SURVEY["waves"], DESIGN)
    # One figure per survey block, named in survey_blocks.csv.
    SURVEY_FIGURES = DESIGN.blocks["figure"].tolist()

    wildcard_constraints:
        survey_wave="|".join(SURVEY_WAVES),

    # Platform exports (format: qualtrics, spss, limesurvey) may name a tag mapping,
    # an answer-values and a verdicts file; their previews, spam and unfinished rows
    # are counted in nonresponses.csv. Only then do the jobs get a platform flag, so a
    # study of plain waves keeps its job parameters.
    SURVEY_PLATFORM = uses_platform(SURVEY["waves"])
    SURVEY_PLATFORM_PARAMS = {"platform": True} if SURVEY_PLATFORM else {}
    SURVEY_WAVE_FILES = {
        f"{kind}_{i}": w[kind]
        for i, w in enumerate(SURVEY["waves"])
        for kind in ("columns", "verdicts", "values")
        if w.get(kind)
    }
    SURVEY_NONRESPONSES = (
        {"nonresponses": "data/processed/survey/nonresponses.csv"}
        if SURVEY_PLATFORM
        else {}
    )

    rule survey_responses:
        input:
            **SURVEY_WAVE_FILES,
            design=DESIGN_VIEWS["survey"],
            waves=[w["responses"] for w in SURVEY["waves"]],
        output:
            **SURVEY_NONRESPONSES,
            responses="data/processed/survey/responses.csv",
        log:
            "logs/survey/responses.log",
        conda:
            ENV
        params:
            **(
                {"wave_formats": [w.get("format", "plain") for w in SURVEY["waves"]]}
                if SURVEY_PLATFORM
                else {}
            ),
            wave_ids=[w["id"] for w in SURVEY["waves"]],
        script:
            "../scripts/survey_responses.py"

    rule survey_tables:
        input:
            **SURVEY_NONRESPONSES,
            design=DESIGN_VIEWS["survey"],
            responses="data/processed/survey/responses.csv",
        output:
            screening=report(
                "data/processed/survey/screening.csv",
                caption="../report/survey_screening.rst",
                category="Survey",
            ),
            item_summary=report(
                "data/processed/survey/item_summary.csv",
                caption="../report/survey_item_summary.rst",
                category="Survey",
            ),
            item_levels="data/processed/survey/item_levels.csv",
            practice_tests=report(
                "data/processed/survey/practice_tests.csv",
                caption="../report/survey_practice_tests.rst",
                category="Survey",
            ),
            settings="data/processed/survey/practice_tests_settings.json",
            demographics="data/processed/survey/demographics.csv",
        log:
            "logs/survey/tables.log",
        conda:
            ENV
        params:
            wave_order=SURVEY_WAVES,
            tests=SURVEY["tests"],
        script:
            "../scripts/survey_tables.py"

    rule survey_demographics:
        input:
            design=DESIGN_VIEWS["survey"],
            demographics="data/processed/survey/demographics.csv",
            screening="data/processed/survey/screening.csv",
        output:
            csv=report(
                "paper/tables/survey_demographics.csv",
                caption="../report/survey_demographics.rst",
                category="Tables",
            ),
            md="paper/tables/survey_demographics.md",
            tex="paper/tables/survey_demographics.tex",
        log:
            "logs/survey/demographics.log",
        conda:
            ENV
        params:
            **SURVEY_PLATFORM_PARAMS,
            provenance=config["provenance"]["note"],
        script:
            "../scripts/survey_demographics.py"

    rule survey_figures_pooled:
        input:
            design=DESIGN_VIEWS["survey"],
            item_levels="data/processed/survey/item_levels.csv",
            practice_tests="data/processed/survey/practice_tests.csv",
        output:
            report(
                expand(
                    "paper/figures/{fig}.{ext}", fig=SURVEY_FIGURES, ext=["pdf", "svg"]
                ),
                caption="../report/survey_figures.rst",
                category="Figures",
            ),
            expand("paper/figures/{fig}.png", fig=SURVEY_FIGURES),
        log:
            "logs/survey/figures_pooled.log",
        conda:
            ENV
        params:
            provenance=config["provenance"]["note"],
            wave="all",
            formats=["pdf", "png", "svg"],
            stems=[f"paper/figures/{fig}" for fig in SURVEY_FIGURES],
            alpha=SURVEY["tests"]["alpha"],
        script:
            "../scripts/survey_figures.py"

    rule survey_figures_wave:
        input:
            design=DESIGN_VIEWS["survey"],
            item_levels="data/processed/survey/item_levels.csv",
            practice_tests="data/processed/survey/practice_tests.csv",
        output:
            expand(
                "paper/figures/survey/{{survey_wave}}/{fig}.{ext}",
                fig=SURVEY_FIGURES,
                ext=["pdf", "png"],
            ),
        log:
            "logs/survey/figures_{survey_wave}.log",
        conda:
            ENV
        params:
            provenance=config["provenance"]["note"],
            wave=lambda wc: wc.survey_wave,
            formats=["pdf", "png"],
            stems=lambda wc: [
                f"paper/figures/survey/{wc.survey_wave}/{f}" for f in SURVEY_FIGURES
            ],
            alpha=SURVEY["tests"]["alpha"],
        script:
            "../scripts/survey_figures.py"

    rule survey_screening_figure:
        input:
            design=DESIGN_VIEWS["survey"],
            screening="data/processed/survey/screening.csv",
        output:
            pdf=report(
                "paper/figures/survey_screening.pdf",
                caption="../report/survey_screening_figure.rst",
                category="Figures",
            ),
            png="paper/figures/survey_screening.png",
            svg="paper/figures/survey_screening.svg",
        log:
            "logs/survey/screening_figure.log",
        conda:
            ENV
        params:
            **SURVEY_PLATFORM_PARAMS,
            provenance=config["provenance"]["note"],
        script:
            "../scripts/survey_screening_figure.py"

    rule survey_wave_comparison:
        input:
            design=DESIGN_VIEWS["survey"],
            responses="data/processed/survey/responses.csv",
        output:
            table=report(
                "data/processed/survey/wave_comparison.csv",
                caption="../report/survey_wave_comparison.rst",
                category="Survey",
            ),
            pdf="paper/figures/survey_wave_comparison.pdf",
            png="paper/figures/survey_wave_comparison.png",
            svg="paper/figures/survey_wave_comparison.svg",
        log:
            "logs/survey/wave_comparison.log",
        conda:
            ENV
        params:
            wave_order=SURVEY_WAVES,
        script:
            "../scripts/survey_wave_comparison.py"

    rule survey_numbers:
        input:
            design=DESIGN_VIEWS["survey"],
            screening="data/processed/survey/screening.csv",
            demographics="data/processed/survey/demographics.csv",
            item_summary="data/processed/survey/item_summary.csv",
            item_levels="data/processed/survey/item_levels.csv",
            practice_tests="data/processed/survey/practice_tests.csv",
        output:
            numbers="data/processed/survey/numbers.csv",
        log:
            "logs/survey/numbers.log",
        conda:
            ENV
        params:
            **SURVEY_PLATFORM_PARAMS,
        script:
            "../scripts/survey_numbers.py"

    register_targets(
        "survey",
        [
            *rules.survey_responses.output,
            *rules.survey_tables.output,
            *rules.survey_demographics.output,
            *rules.survey_figures_pooled.output,
            *rules.survey_screening_figure.output,
            *rules.survey_numbers.output,
            *expand(
                "paper/figures/survey/{wave}/{fig}.{ext}",
                wave=SURVEY_WAVES,
                fig=SURVEY_FIGURES,
                ext=["pdf", "png"],
            ),
            *(rules.survey_wave_comparison.output if len(SURVEY_WAVES) > 1 else []),
        ],
    )
