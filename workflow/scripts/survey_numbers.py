"""Write the survey's numbers.csv (pooled wave ``all``) for the paper stage."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.numbers import NUMBERS
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.survey import schemas
from downstream_safety.survey.instrument import load_items
from downstream_safety.survey.numbers import survey_numbers

with script_logging(snakemake):  # noqa: F821
    inp = snakemake.input  # noqa: F821
    numbers = survey_numbers(
        read_table(inp.screening, schemas.SCREENING),
        read_table(inp.demographics, schemas.DEMOGRAPHICS),
        read_table(inp.item_summary, schemas.ITEM_SUMMARY),
        read_table(inp.item_levels, schemas.ITEM_LEVELS),
        read_table(inp.practice_tests, schemas.PRACTICE_TESTS),
        load_items(),
    )
    write_table(numbers, snakemake.output.numbers, NUMBERS)  # noqa: F821
