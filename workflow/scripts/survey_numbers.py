"""Write the survey's numbers.csv (pooled wave ``all``) for the paper stage."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.numbers import NUMBERS
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.instruments.design import from_job
from downstream_safety.survey import schemas
from downstream_safety.survey.numbers import survey_numbers

with script_logging(snakemake):  # noqa: F821
    inp = snakemake.input  # noqa: F821
    design = from_job(snakemake)  # noqa: F821
    platform = snakemake.params.get("platform", False)  # noqa: F821  (a platform export)
    numbers = survey_numbers(
        read_table(inp.screening, schemas.screening_schema(design, platform)),
        read_table(inp.demographics, schemas.demographics_schema(design), allow_empty=True),
        read_table(inp.item_summary, schemas.item_summary_schema(design)),
        read_table(inp.item_levels, schemas.item_levels_schema(design)),
        read_table(inp.practice_tests, schemas.practice_tests_schema(design), allow_empty=True),
        design,
    )
    write_table(numbers, snakemake.output.numbers, NUMBERS)  # noqa: F821
