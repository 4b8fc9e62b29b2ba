"""The screening funnel of the pooled respondents."""

import logging
from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.survey import schemas
from downstream_safety.survey.figures import screening_figure

with script_logging(snakemake):  # noqa: F821
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter
    screening = read_table(snakemake.input.screening, schemas.SCREENING)  # noqa: F821
    save_figure(screening_figure(screening), Path(snakemake.output.pdf).with_suffix(""))  # noqa: F821
