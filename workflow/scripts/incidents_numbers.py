"""The incident stage's numbers.csv."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.numbers import NUMBERS
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.incidents import schemas
from downstream_safety.incidents.load import concern_ids, load_adjudicated, load_annotations
from downstream_safety.incidents.numbers import incident_numbers

with script_logging(snakemake):  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    labels = concern_ids()
    ann = load_annotations(inp.annotations, labels)
    adj = load_adjudicated(inp.adjudicated, ann, labels, inp.annotations)
    numbers = incident_numbers(
        ann,
        adj,
        read_table(inp.counts, schemas.SUBTHEME_COUNTS),
        read_table(inp.cooccurrence, schemas.COOCCURRENCE),
        read_table(inp.agreement, schemas.AGREEMENT),
    )
    write_table(numbers, out.numbers, NUMBERS)
