"""Figure: annotated incidents per year of occurrence and concern subtheme."""

import logging
from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.incidents import schemas
from downstream_safety.incidents.figures import per_year_figure
from downstream_safety.instruments.design import from_job

logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter

with script_logging(snakemake):  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    design = from_job(snakemake)  # noqa: F821
    names = design.short_labels()
    per_year = read_table(inp.per_year, schemas.PER_YEAR)
    save_figure(
        per_year_figure(per_year, names, design.taxonomy),
        Path(out.pdf).with_suffix(""),
    )
