# Paper stage (see CONTRIBUTING.md and docs/paper.md): the claims audit, the
# consistency checks, Figure 1, the number macros, the numeral check, the
# executed notebooks and (optionally) the PDF. With paper.published_claims
# null the study has no published numbers: the comparison and the audit are
# skipped and the summary page says so.
from downstream_safety.paper.load import check_published

PAPER_CFG = config["paper"]
PUBLISHED_CLAIMS = PAPER_CFG["published_claims"]
PUBLISHED_SAMPLES = PAPER_CFG["published_samples"]
if PUBLISHED_CLAIMS:
    parse_time_check(
        check_published, PUBLISHED_CLAIMS, PUBLISHED_SAMPLES, config_file=CONFIG_FILES
    )

# The strands that run, in pipeline order, then the paper's own numbers: one
# numbers file each. Figure 1 draws exactly these stages.
NUMBER_STAGES = [
    s for s in ["recruitment", "interviews", "survey", "incidents"] if stage_on(s)
] + ["paper"]
NUMBER_FILES = [f"data/processed/{s}/numbers.csv" for s in NUMBER_STAGES]
AUDIT_SUMMARY = "data/processed/paper/audit_summary.csv"
AUDIT_INPUTS = {"audit": AUDIT_SUMMARY} if PUBLISHED_CLAIMS else {}
# Tables each stage notebook reads (named: the notebook gets them as INPUTS).
NOTEBOOK_INPUTS = {
    stage: tables
    for stage, tables in {
        "interviews": {
            "subtheme_participants": "data/processed/interviews/subtheme_participants.csv"
        },
        "survey": {
            "item_summary": "data/processed/survey/item_summary.csv",
            "practice_tests": "data/processed/survey/practice_tests.csv",
        },
        "incidents": {
            "subtheme_counts": "data/processed/incidents/subtheme_counts.csv"
        },
    }.items()
    if stage_on(stage)
}
SNAPSHOT = (config.get("incidents") or {}).get("aiid_snapshot")
# What the summary page says of the snapshot; nothing for a study without incidents.
SNAPSHOT_LABEL = (
    f"real public data read from {SNAPSHOT}"
    if SNAPSHOT
    else (
        "none configured (the incident stage ran on the annotations alone)"
        if stage_on("incidents")
        else ""
    )
)
# The incident claims checked against real AIID labels (incidents_real), with
# the tables the summary page's "Real-data checks" section shows.
REAL_INPUTS = {}
if stage_on("incidents") and config["incidents"]["real_checks"] is not None:
    REAL_INPUTS = {
        "real_checks": "data/processed/incidents/real_checks.csv",
        "cset_agreement": "data/processed/incidents/cset_agreement.csv",
        "cset_pairs": "data/processed/incidents/cset_pairs.csv",
        "real_figure": "paper/figures/real_checks.png",
        "keyword_quality": "data/processed/incidents/keyword_quality.csv",
    }
# The study's own manuscript if its folder has one, else the shipped template.
# The template is written for the paper study: macros it uses that another
# study's numbers do not define are listed by the numeral check, not fatal.
TEMPLATE = WORKFLOW_ROOT / "paper" / "main.tex"
MANUSCRIPT = "paper/main.tex" if Path("paper/main.tex").exists() else str(TEMPLATE)
MANUSCRIPT_IS_TEMPLATE = Path(MANUSCRIPT).resolve() == TEMPLATE.resolve()


rule paper_instrument_numbers:
    input:
        design=DESIGN_VIEWS["full"],
        protocol=f"{INSTRUMENTS}/protocol.csv",
    output:
        numbers="data/processed/paper/numbers.csv",
    log:
        "logs/paper/instrument_numbers.log",
    conda:
        ENV
    script:
        "../scripts/paper_instrument_numbers.py"


PAPER_TARGETS = [*rules.paper_instrument_numbers.output]

if PUBLISHED_CLAIMS:

    rule paper_audit:
        input:
            **(
                {
                    "tests": "data/processed/survey/practice_tests.csv",
                    "levels": "data/processed/survey/item_levels.csv",
                }
                if stage_on("survey")
                else {}
            ),
            **REAL_INPUTS,
            design=DESIGN_VIEWS["full"],
            # The survey's paired tests (statcheck) and its answer counts per
            # level (claims that assume missing answers), when the stage runs.
            claims=PUBLISHED_CLAIMS,
            samples=PUBLISHED_SAMPLES,
            numbers=NUMBER_FILES,
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
            numbers=AUDIT_SUMMARY,
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
            alternative=(
                config["survey"]["tests"]["alternative"] if stage_on("survey") else ""
            ),
            alpha=config["survey"]["tests"]["alpha"] if stage_on("survey") else 0.0,
            settings=(config.get("survey") or {}).get("tests", {}),
            seed=config.get("seed", ""),
            provenance=config["provenance"]["description"],
            title=config["study"]["title"],
            snapshot=SNAPSHOT_LABEL,
        script:
            "../scripts/paper_audit.py"

    PAPER_TARGETS += rules.paper_audit.output

else:

    rule paper_summary:
        output:
            html=report(
                "data/processed/paper/summary.html",
                caption="../report/paper_summary.rst",
                category="Summary",
            ),
        log:
            "logs/paper/summary.log",
        conda:
            ENV
        params:
            settings=(config.get("survey") or {}).get("tests", {}),
            seed=config.get("seed", ""),
            provenance=config["provenance"]["description"],
            title=config["study"]["title"],
            snapshot=SNAPSHOT_LABEL,
        script:
            "../scripts/paper_summary.py"

    PAPER_TARGETS += rules.paper_summary.output


rule paper_numbers:
    input:
        **AUDIT_INPUTS,
        numbers=NUMBER_FILES,
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


rule paper_figure1:
    input:
        **AUDIT_INPUTS,
        numbers=NUMBER_FILES,
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
    script:
        "../scripts/paper_figure1.py"


rule paper_numerals:
    input:
        manuscript=MANUSCRIPT,
        numbers="paper/numbers.tex",
    output:
        report="data/processed/paper/numeral_check.txt",
    log:
        "logs/paper/numerals.log",
    conda:
        ENV
    params:
        template=MANUSCRIPT_IS_TEMPLATE,
    script:
        "../scripts/paper_numerals.py"


if NOTEBOOK_INPUTS:
    NOTEBOOK_STAGES = sorted(NOTEBOOK_INPUTS)

    rule paper_notebooks:
        input:
            notebooks=[
                str(WORKFLOW_ROOT / "notebooks" / f"{stage}.ipynb")
                for stage in NOTEBOOK_STAGES
            ],
            numbers=[f"data/processed/{stage}/numbers.csv" for stage in NOTEBOOK_STAGES],
            tables=[
                t for stage in NOTEBOOK_STAGES for t in NOTEBOOK_INPUTS[stage].values()
            ],
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
        params:
            inputs=[
                {
                    "numbers": f"data/processed/{stage}/numbers.csv",
                    **NOTEBOOK_INPUTS[stage],
                }
                for stage in NOTEBOOK_STAGES
            ],
        script:
            "../scripts/paper_notebook.py"

    PAPER_TARGETS += rules.paper_notebooks.output.html


PAPER_TARGETS += [
    *rules.paper_numbers.output,
    *rules.paper_figure1.output,
    *rules.paper_numerals.output,
]

if PAPER_CFG["build_pdf"]:

    rule paper_pdf:
        input:
            manuscript=MANUSCRIPT,
            preamble=str(Path(MANUSCRIPT).with_name("replication.sty")),
            numbers="paper/numbers.tex",
            checked="data/processed/paper/numeral_check.txt",
            # Tables and figures main.tex includes (every stage's, with Table 3).
            figures=lambda wildcards: sorted(
                t
                for t in final_targets(wildcards)
                if t.startswith(("paper/tables/", "paper/figures/"))
            ),
        output:
            pdf="paper/main.pdf",
        log:
            "logs/paper/pdf.log",
        conda:
            ENV
        shell:
            # A study without its own manuscript builds the shipped template.
            "mkdir -p paper && "
            "{{ [ -e paper/main.tex ] || cp {input.manuscript} paper/main.tex; }} && "
            "{{ [ -e paper/replication.sty ] || cp {input.preamble} paper/replication.sty; }} && "
            "SOURCE_DATE_EPOCH=0 FORCE_SOURCE_DATE=1 latexmk -pdf -interaction=nonstopmode"
            " -halt-on-error -cd paper/main.tex > {log} 2>&1"

    PAPER_TARGETS.append(rules.paper_pdf.output.pdf)


register_targets("paper", PAPER_TARGETS)
