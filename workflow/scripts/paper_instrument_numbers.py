"""Write the instrument and codebook counts as the paper stage's numbers.csv."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.numbers import NUMBERS
from downstream_safety.common.tableio import write_table
from downstream_safety.instruments.load import (
    load_codebook,
    load_protocol,
    load_survey_instrument,
)
from downstream_safety.paper.instrument_numbers import instrument_numbers

with script_logging(snakemake):  # noqa: F821
    inp = snakemake.input  # noqa: F821
    protocol = load_protocol(inp.protocol, inp.scales)
    df = instrument_numbers(protocol, load_codebook(), load_survey_instrument())
    write_table(df, snakemake.output.numbers, NUMBERS)  # noqa: F821
