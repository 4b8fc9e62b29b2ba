"""Figure: share of annotated incidents per concern subtheme."""

import logging
from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.incidents import schemas
from downstream_safety.incidents.figures import frequency_figure
from downstream_safety.instruments.design import from_job

logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter

with script_logging(snakemake):  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    names = from_job(snakemake).short_labels()  # noqa: F821
    counts = read_table(inp.counts, schemas.SUBTHEME_COUNTS)
    save_figure(frequency_figure(counts, names), Path(out.pdf).with_suffix(""))
