"""Collect the interview stage's numbers for the paper."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.numbers import NUMBERS
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.interviews import schemas
from downstream_safety.interviews.load import load_participants
from downstream_safety.interviews.numbers import interview_numbers

smk = snakemake  # noqa: F821
with script_logging(smk):
    inp = smk.input
    nums = interview_numbers(
        load_participants(inp.participants),
        read_table(inp.subthemes, schemas.SUBTHEME_PARTICIPANTS),
        read_table(inp.themes, schemas.THEME_PARTICIPANTS),
        read_table(inp.codes_per_rq, schemas.CODES_PER_RQ),
        read_table(inp.summary, schemas.SATURATION_SUMMARY),
        read_table(inp.demographics, schemas.DEMOGRAPHICS),
        len(read_table(inp.segments, schemas.SEGMENTS_CLEAN)),
    )
    write_table(nums, smk.output.numbers, NUMBERS)
