# Instruments: the interview protocol, codebook and survey instrument as data,
# and Table 1 built from the protocol.


rule instruments_table1_data:
    input:
        protocol=f"{INSTRUMENTS}/protocol.csv",
        scales=DESIGN_INPUTS["survey_scales"],
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


register_targets("instruments", rules.instruments_table1.output)
