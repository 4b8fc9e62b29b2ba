# Synthesis: what combines the strands. Triangulation per incident label and
# Table 3 read the outputs of the strands that run (a strand switched off by a
# null config key leaves its columns empty). Outputs stay at the paths the
# paper study publishes them under.
SYNTHESIS_STRANDS = {
    "interviews": {
        "participants": "data/processed/interviews/subtheme_participants.csv",
    },
    "survey": {"item_summary": "data/processed/survey/item_summary.csv"},
    "incidents": {"incidents": "data/processed/incidents/subtheme_counts.csv"},
}


if stage_on("incidents"):

    rule synthesis_triangulation:
        input:
            **stage_inputs(SYNTHESIS_STRANDS, "interviews", "survey"),
            **(
                {"interviewees": config["interviews"]["participants"]}
                if stage_on("interviews")
                else {}
            ),
            design=DESIGN_VIEWS["analysis"],
            counts="data/processed/incidents/subtheme_counts.csv",
        output:
            table="data/processed/incidents/triangulation.csv",
            pdf="paper/figures/triangulation.pdf",
            png=report(
                "paper/figures/triangulation.png",
                caption="../report/synthesis_triangulation.rst",
                category="Synthesis",
            ),
            svg="paper/figures/triangulation.svg",
        log:
            "logs/synthesis/triangulation.log",
        conda:
            ENV
        params:
            wave=config["paper"]["survey_wave"],
        script:
            "../scripts/synthesis_triangulation.py"

    register_targets("synthesis", rules.synthesis_triangulation.output)


rule synthesis_table3:
    input:
        **stage_inputs(SYNTHESIS_STRANDS, "interviews", "survey", "incidents"),
        **(
            {"claims": config["paper"]["published_claims"]}
            if config["paper"]["published_claims"]
            else {}
        ),
        design=DESIGN_VIEWS["analysis"],
    output:
        csv=report(
            "paper/tables/table3.csv",
            caption="../report/synthesis_table3.rst",
            category="Tables",
        ),
        md="paper/tables/table3.md",
        tex="paper/tables/table3.tex",
    log:
        "logs/synthesis/table3.log",
    conda:
        ENV
    params:
        wave=config["paper"]["survey_wave"],
    script:
        "../scripts/synthesis_table3.py"


register_targets("synthesis", rules.synthesis_table3.output)
