"""Write the instrument and codebook counts as the paper stage's numbers.csv."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.numbers import NUMBERS
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.instruments import schemas
from downstream_safety.instruments.design import from_job
from downstream_safety.paper.instrument_numbers import instrument_numbers

with script_logging(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    protocol = read_table(smk.input.protocol, schemas.PROTOCOL)
    df = instrument_numbers(protocol, from_job(smk))
    write_table(df, smk.output.numbers, NUMBERS)
