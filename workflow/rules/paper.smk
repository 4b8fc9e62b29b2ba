# Paper stage (see CONTRIBUTING.md and docs/paper.md): the claims audit, the
# consistency checks, Table 3, Figure 1, the number macros, the numeral check,
# the executed notebooks and (optionally) the PDF.
from downstream_safety.paper.load import check_published

parse_time_check(check_published, ROOT / "data/raw/published")

PAPER_CFG = config["paper"]
# The numbers files the paper reads, one per stage, in pipeline order.
NUMBER_STAGES = ["recruitment", "interviews", "survey", "incidents", "paper"]
NUMBER_FILES = [f"data/processed/{s}/numbers.csv" for s in NUMBER_STAGES]
# Stages the workflow registered before this file was read (drawn in Figure 1).
WORKFLOW_STAGES = sorted(set(TARGETS) | {"paper"})
NOTEBOOK_INPUTS = {
    "interviews": ["data/processed/interviews/subtheme_participants.csv"],
    "survey": [
        "data/processed/survey/item_summary.csv",
        "data/processed/survey/practice_tests.csv",
    ],
    "incidents": ["data/processed/incidents/subtheme_counts.csv"],
}
NOTEBOOK_STAGES = sorted(NOTEBOOK_INPUTS)
SNAPSHOT = config["incidents"].get("aiid_snapshot")


rule paper_instrument_numbers:
    input:
        protocol="data/raw/instruments/protocol.csv",
        themes="data/raw/instruments/codebook_themes.csv",
        subthemes="data/raw/instruments/codebook_subthemes.csv",
        survey_items="data/raw/instruments/survey_items.csv",
        scales="data/raw/instruments/survey_scales.csv",
    output:
        numbers="data/processed/paper/numbers.csv",
    log:
        "logs/paper/instrument_numbers.log",
    conda:
        ENV
    script:
        "../scripts/paper_instrument_numbers.py"


rule paper_audit:
    input:
        claims="data/raw/published/claims.csv",
        samples="data/raw/published/grim_samples.csv",
        numbers=NUMBER_FILES,
        tests="data/processed/survey/practice_tests.csv",
        subthemes="data/raw/instruments/codebook_subthemes.csv",
    output:
        claims=report(
            "paper/claims.csv",
            caption="../report/paper_claims.rst",
            category="Summary",
        ),
        audit=report(
            "paper/audit.csv",
            caption="../report/paper_audit.rst",
            category="Summary",
        ),
        numbers="data/processed/paper/audit_summary.csv",
        html=report(
            "data/processed/paper/summary.html",
            caption="../report/paper_summary.rst",
            category="Summary",
        ),
    log:
        "logs/paper/audit.log",
    conda:
        ENV
    params:
        stages=NUMBER_STAGES,
        alternative=config["survey"]["tests"]["alternative"],
        alpha=config["survey"]["tests"]["alpha"],
        snapshot=(
            f"real public data read from {SNAPSHOT}"
            if SNAPSHOT
            else "none configured (the incident stage ran on the annotations alone)"
        ),
    script:
        "../scripts/paper_audit.py"


rule paper_numbers:
    input:
        numbers=NUMBER_FILES,
        audit=rules.paper_audit.output.numbers,
    output:
        tex="paper/numbers.tex",
        json=report(
            "paper/numbers.json",
            caption="../report/paper_numbers.rst",
            category="Summary",
        ),
    log:
        "logs/paper/numbers.log",
    conda:
        ENV
    params:
        stages=NUMBER_STAGES,
    script:
        "../scripts/paper_numbers.py"


rule paper_table3:
    input:
        participants="data/processed/interviews/subtheme_participants.csv",
        item_summary="data/processed/survey/item_summary.csv",
        incidents="data/processed/incidents/subtheme_counts.csv",
        claims="data/raw/published/claims.csv",
        subthemes="data/raw/instruments/codebook_subthemes.csv",
    output:
        csv=report(
            "paper/tables/table3.csv",
            caption="../report/paper_table3.rst",
            category="Tables",
        ),
        md="paper/tables/table3.md",
        tex="paper/tables/table3.tex",
    log:
        "logs/paper/table3.log",
    conda:
        ENV
    params:
        wave=PAPER_CFG["survey_wave"],
    script:
        "../scripts/paper_table3.py"


rule paper_figure1:
    input:
        numbers=NUMBER_FILES,
        audit=rules.paper_audit.output.numbers,
    output:
        pdf="paper/figures/figure1_study_design.pdf",
        png=report(
            "paper/figures/figure1_study_design.png",
            caption="../report/paper_figure1.rst",
            category="Figures",
        ),
        svg="paper/figures/figure1_study_design.svg",
    log:
        "logs/paper/figure1.log",
    conda:
        ENV
    params:
        stages=NUMBER_STAGES,
        workflow_stages=WORKFLOW_STAGES,
    script:
        "../scripts/paper_figure1.py"


rule paper_numerals:
    input:
        manuscript="paper/main.tex",
        numbers=rules.paper_numbers.output.tex,
    output:
        report="data/processed/paper/numeral_check.txt",
    log:
        "logs/paper/numerals.log",
    conda:
        ENV
    script:
        "../scripts/paper_numerals.py"


rule paper_notebooks:
    input:
        notebooks=[f"notebooks/{stage}.ipynb" for stage in NOTEBOOK_STAGES],
        numbers=[f"data/processed/{stage}/numbers.csv" for stage in NOTEBOOK_STAGES],
        tables=[t for stage in NOTEBOOK_STAGES for t in NOTEBOOK_INPUTS[stage]],
    output:
        # One job runs all notebooks in one kernel: the kernel start-up dominates.
        html=[
            report(
                f"notebooks/executed/{stage}.html",
                caption="../report/paper_notebook.rst",
                category="Notebooks",
            )
            for stage in NOTEBOOK_STAGES
        ],
    log:
        "logs/paper/notebooks.log",
    conda:
        ENV
    script:
        "../scripts/paper_notebook.py"


PAPER_TARGETS = [
    *rules.paper_audit.output,
    *rules.paper_numbers.output,
    *rules.paper_table3.output,
    *rules.paper_figure1.output,
    *rules.paper_numerals.output,
    *rules.paper_notebooks.output.html,
]

if PAPER_CFG["build_pdf"]:

    rule paper_pdf:
        input:
            manuscript="paper/main.tex",
            preamble="paper/replication.sty",
            numbers=rules.paper_numbers.output.tex,
            checked=rules.paper_numerals.output.report,
            own=[*rules.paper_table3.output, *rules.paper_figure1.output],
            # Tables and figures of the other stages, which main.tex includes.
            others=lambda wildcards: sorted(
                t
                for stage, paths in TARGETS.items()
                if stage != "paper"
                for t in paths
                if t.startswith(("paper/tables/", "paper/figures/"))
            ),
        output:
            pdf="paper/main.pdf",
        log:
            "logs/paper/pdf.log",
        conda:
            ENV
        shell:
            "SOURCE_DATE_EPOCH=0 FORCE_SOURCE_DATE=1 latexmk -pdf -interaction=nonstopmode"
            " -halt-on-error -cd paper/main.tex > {log} 2>&1"

    PAPER_TARGETS.append(rules.paper_pdf.output.pdf)


register_targets("paper", PAPER_TARGETS)
