# Interviews: coded key points (CSV or REFI-QDA, per config) -> participants and
# codes per subtheme/theme/RQ, saturation, Table 2 and Figure 2. Switched off
# by "interviews: null" in the config. Inter-coder agreement runs when the
# codings name two or more coders.
from downstream_safety.interviews.sources import (  # noqa: E402
    check_inputs as _check_interviews,
    source_files as _interview_files,
)

if stage_on("interviews"):
    INTERVIEWS_CFG = config["interviews"]
    INTERVIEW_FILES = _interview_files(INTERVIEWS_CFG)
    INTERVIEW_PARTICIPANTS = INTERVIEW_FILES["participants"]
    KAPPA_THRESHOLD = (INTERVIEWS_CFG.get("coder_agreement") or {}).get(
        "kappa_threshold"
    )

    # The coders the codings name, decided from the data: agreement needs two.
    INTERVIEW_CODERS = parse_time_check(
        _check_interviews,
        INTERVIEWS_CFG["source"],
        INTERVIEW_FILES,
        DESIGN_TABLE_FILES,
        DESIGN_SETTINGS,
        INTERVIEWS_CFG["figure2_example"],
        INTERVIEWS_CFG["offsets"],
        kappa_threshold=KAPPA_THRESHOLD,
    )
    SEVERAL_CODERS = len(INTERVIEW_CODERS) >= 2

    rule interviews_segments:
        input:
            **INTERVIEW_FILES,
            design=DESIGN_VIEWS["interviews"],
        output:
            segments="data/processed/interviews/segments.csv",
            codes="data/processed/interviews/codes.csv",
        log:
            "logs/interviews/segments.log",
        conda:
            ENV
        params:
            source=INTERVIEWS_CFG["source"],
            files=sorted(INTERVIEW_FILES),
            offsets=INTERVIEWS_CFG["offsets"],
        script:
            "../scripts/interviews_segments.py"

    if SEVERAL_CODERS:

        rule interviews_coder_agreement:
            input:
                **INTERVIEW_FILES,
                design=DESIGN_VIEWS["interviews"],
            output:
                agreement=report(
                    "data/processed/interviews/coder_agreement.csv",
                    caption="../report/interviews_coder_agreement.rst",
                    category="Interviews",
                ),
            log:
                "logs/interviews/coder_agreement.log",
            conda:
                ENV
            params:
                source=INTERVIEWS_CFG["source"],
                files=sorted(INTERVIEW_FILES),
                offsets=INTERVIEWS_CFG["offsets"],
                kappa_threshold=KAPPA_THRESHOLD,
            script:
                "../scripts/interviews_coder_agreement.py"

    rule interviews_aggregate:
        input:
            design=DESIGN_VIEWS["interviews"],
            segments=rules.interviews_segments.output.segments,
            codes=rules.interviews_segments.output.codes,
            participants=INTERVIEW_PARTICIPANTS,
        output:
            subthemes=report(
                "data/processed/interviews/subtheme_participants.csv",
                caption="../report/interviews_subthemes.rst",
                category="Interviews",
            ),
            codes_per_rq=report(
                "data/processed/interviews/codes_per_rq.csv",
                caption="../report/interviews_codes.rst",
                category="Interviews",
            ),
            themes="data/processed/interviews/theme_participants.csv",
            matrix="data/processed/interviews/participant_subtheme_matrix.csv",
        log:
            "logs/interviews/aggregate.log",
        conda:
            ENV
        script:
            "../scripts/interviews_aggregate.py"

    rule interviews_saturation:
        input:
            design=DESIGN_VIEWS["interviews"],
            segments=rules.interviews_segments.output.segments,
            participants=INTERVIEW_PARTICIPANTS,
        output:
            curves="data/processed/interviews/saturation.csv",
            summary=report(
                "data/processed/interviews/saturation_summary.csv",
                caption="../report/interviews_saturation_summary.rst",
                category="Interviews",
            ),
        log:
            "logs/interviews/saturation.log",
        conda:
            ENV
        params:
            saturation=config["interviews"]["saturation"],
        script:
            "../scripts/interviews_saturation.py"

    rule interviews_table2:
        input:
            design=DESIGN_VIEWS["participants"],
            participants=INTERVIEW_PARTICIPANTS,
        output:
            csv=report(
                "paper/tables/table2.csv",
                caption="../report/interviews_table2.rst",
                category="Tables",
            ),
            md="paper/tables/table2.md",
            tex="paper/tables/table2.tex",
            demographics="data/processed/interviews/demographics.csv",
            demo_csv=report(
                "paper/tables/interview_demographics.csv",
                caption="../report/interviews_demographics.rst",
                category="Tables",
            ),
            demo_md="paper/tables/interview_demographics.md",
            demo_tex="paper/tables/interview_demographics.tex",
        log:
            "logs/interviews/table2.log",
        conda:
            ENV
        params:
            note=config["interviews"].get("table2_note"),
            # For the captions: the columns of Table 2 and of its summary.
            table2_columns=participant_labels("table2"),
            summary_fields=participant_labels("summary"),
        script:
            "../scripts/interviews_table2.py"

    rule interviews_figures:
        input:
            design=DESIGN_VIEWS["interviews"],
            segments=rules.interviews_segments.output.segments,
            codes=rules.interviews_segments.output.codes,
            subthemes=rules.interviews_aggregate.output.subthemes,
            curves=rules.interviews_saturation.output.curves,
            summary=rules.interviews_saturation.output.summary,
        output:
            fig2_pdf=report(
                "paper/figures/figure2_coding_chain.pdf",
                caption="../report/interviews_figure2.rst",
                category="Figures",
            ),
            fig2_png="paper/figures/figure2_coding_chain.png",
            fig2_svg="paper/figures/figure2_coding_chain.svg",
            sat_pdf=report(
                "paper/figures/saturation.pdf",
                caption="../report/interviews_saturation.rst",
                category="Figures",
            ),
            sat_png="paper/figures/saturation.png",
            sat_svg="paper/figures/saturation.svg",
        log:
            "logs/interviews/figures.log",
        conda:
            ENV
        params:
            example=config["interviews"]["figure2_example"],
        script:
            "../scripts/interviews_figures.py"

    rule interviews_numbers:
        input:
            **(
                {"agreement": rules.interviews_coder_agreement.output.agreement}
                if SEVERAL_CODERS
                else {}
            ),
            design=DESIGN_VIEWS["participants"],
            participants=INTERVIEW_PARTICIPANTS,
            segments=rules.interviews_segments.output.segments,
            subthemes=rules.interviews_aggregate.output.subthemes,
            themes=rules.interviews_aggregate.output.themes,
            codes_per_rq=rules.interviews_aggregate.output.codes_per_rq,
            summary=rules.interviews_saturation.output.summary,
            demographics=rules.interviews_table2.output.demographics,
        output:
            numbers="data/processed/interviews/numbers.csv",
        log:
            "logs/interviews/numbers.log",
        conda:
            ENV
        script:
            "../scripts/interviews_numbers.py"

    register_targets(
        "interviews",
        [
            *rules.interviews_segments.output,
            *rules.interviews_aggregate.output,
            *rules.interviews_saturation.output,
            *rules.interviews_table2.output,
            *rules.interviews_figures.output,
            *rules.interviews_numbers.output,
            *(rules.interviews_coder_agreement.output if SEVERAL_CODERS else []),
        ],
    )
