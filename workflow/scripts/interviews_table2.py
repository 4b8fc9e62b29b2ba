"""Table 2 (participant demographics) and its summary counts."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import validate, write_table
from downstream_safety.common.writers import write_table_formats
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews import schemas
from downstream_safety.interviews.load import load_participants
from downstream_safety.interviews.table2 import (
    build_table2,
    demographics,
    display_demographics,
    display_table2,
)

smk = snakemake  # noqa: F821
with script_logging(smk):
    out = smk.output
    design = from_job(smk)
    participants = load_participants(smk.input.participants, design)
    table2 = validate(build_table2(participants, design), schemas.table2_schema(design), out.csv)
    demo = validate(demographics(participants, design), schemas.DEMOGRAPHICS, out.demographics)
    write_table(demo, out.demographics, schemas.DEMOGRAPHICS)
    write_table_formats(
        table2,
        out.csv,
        out.md,
        out.tex,
        display=display_table2(table2, design),
        caption="Interview participant demographics",
        label="tab:participants",
        note=smk.params.note,
    )
    write_table_formats(
        demo,
        out.demo_csv,
        out.demo_md,
        out.demo_tex,
        display=display_demographics(demo, design),
        caption="Interview participants: summary of Table 2",
        label="tab:participants-summary",
    )
