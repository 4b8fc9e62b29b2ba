"""The screening funnel of the pooled respondents: one bar per configured rule."""

import logging
from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.instruments.design import from_job
from downstream_safety.survey import schemas
from downstream_safety.survey.figures import screening_figure

with script_logging(snakemake):  # noqa: F821
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter
    design = from_job(snakemake)  # noqa: F821
    platform = snakemake.params.get("platform", False)  # noqa: F821  (a platform export)
    screening = read_table(snakemake.input.screening, schemas.screening_schema(design, platform))  # noqa: F821
    fig = screening_figure(screening, design, snakemake.params.provenance)  # noqa: F821
    save_figure(fig, Path(snakemake.output.pdf).with_suffix(""))  # noqa: F821
