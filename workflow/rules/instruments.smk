# Instruments: the interview protocol, codebook and survey instrument as data,
# the design views the other stages read, and Table 1 built from the protocol.


# One job per design view (study_design.VIEWS), each with only its own tables as
# inputs and its own settings as params. Snakemake reruns by modification time:
# one job writing every view would make all views newer whenever any table
# changed, and so rerun every job of the study; with one job per view, editing
# participant_fields.csv rewrites only the views that hold it.
rule instruments_design_view:
    input:
        unpack(lambda wc: study_design.view_tables(wc.view, INSTRUMENTS)),
    output:
        view=f"{DESIGN_VIEW_DIR}/{{view}}.json",
    log:
        "logs/instruments/design_{view}.log",
    wildcard_constraints:
        view="|".join(study_design.VIEWS),
    conda:
        ENV
    params:
        settings=lambda wc: study_design.view_settings(wc.view, DESIGN_SETTINGS),
    script:
        "../scripts/instruments_design_view.py"


rule instruments_table1_data:
    input:
        protocol=f"{INSTRUMENTS}/protocol.csv",
        scales=DESIGN_TABLE_FILES["survey_scales"],
    output:
        table="data/processed/instruments/table1.csv",
    log:
        "logs/instruments/table1_data.log",
    conda:
        ENV
    script:
        "../scripts/instruments_table1_data.py"


rule instruments_table1:
    input:
        table=rules.instruments_table1_data.output.table,
    output:
        csv=report(
            "paper/tables/table1.csv",
            caption="../report/table1.rst",
            category="Tables",
        ),
        md="paper/tables/table1.md",
        tex="paper/tables/table1.tex",
    log:
        "logs/instruments/table1.log",
    conda:
        ENV
    script:
        "../scripts/instruments_table1.py"


register_targets(
    "instruments",
    [
        *DESIGN_VIEWS.values(),
        *rules.instruments_table1_data.output,
        *rules.instruments_table1.output,
    ],
)
