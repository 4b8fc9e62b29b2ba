"""The incident stage's numbers.csv."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.numbers import NUMBERS
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.incidents import schemas
from downstream_safety.incidents.load import Taxonomy, load_adjudicated, load_annotations
from downstream_safety.incidents.numbers import incident_numbers
from downstream_safety.instruments.design import from_job

with script_logging(snakemake):  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    taxonomy = Taxonomy.of(from_job(snakemake))  # noqa: F821
    ann = load_annotations(inp.annotations, taxonomy)
    adj = load_adjudicated(inp.adjudicated, taxonomy, ann, inp.annotations)
    numbers = incident_numbers(
        ann,
        adj,
        read_table(inp.counts, schemas.SUBTHEME_COUNTS),
        read_table(inp.cooccurrence, schemas.COOCCURRENCE),
        read_table(inp.agreement, schemas.AGREEMENT),
    )
    write_table(numbers, out.numbers, NUMBERS)
