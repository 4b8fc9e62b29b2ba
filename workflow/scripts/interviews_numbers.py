"""Collect the interview stage's numbers for the paper."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.numbers import NUMBERS
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews import schemas
from downstream_safety.interviews.load import load_participants
from downstream_safety.interviews.numbers import interview_numbers

smk = snakemake  # noqa: F821
with script_logging(smk):
    design = from_job(smk)
    inp = smk.input
    nums = interview_numbers(
        load_participants(inp.participants, design),
        read_table(inp.subthemes, schemas.subtheme_participants_schema(design)),
        read_table(inp.themes, schemas.theme_participants_schema(design)),
        read_table(inp.codes_per_rq, schemas.codes_per_rq_schema(design)),
        read_table(inp.summary, schemas.saturation_summary_schema(design)),
        read_table(inp.demographics, schemas.DEMOGRAPHICS),
        len(read_table(inp.segments, schemas.segments_clean_schema(design))),
        design,
        read_table(inp.agreement, schemas.CODER_AGREEMENT) if "agreement" in inp.keys() else None,
    )
    write_table(nums, smk.output.numbers, NUMBERS)
