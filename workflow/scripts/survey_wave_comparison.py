"""Compare the waves item by item (only run when more than one wave is configured)."""

import logging
from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.instruments.design import from_job
from downstream_safety.survey import schemas
from downstream_safety.survey.analysis import wave_comparison
from downstream_safety.survey.figures import wave_comparison_figure

with script_logging(snakemake):  # noqa: F821
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter
    out = snakemake.output  # noqa: F821
    design = from_job(snakemake)  # noqa: F821
    responses = read_table(snakemake.input.responses, schemas.responses_schema(design))  # noqa: F821
    table = wave_comparison(responses, design, list(snakemake.params.wave_order))  # noqa: F821
    write_table(table, out.table, schemas.wave_comparison_schema(design))
    fig = wave_comparison_figure(table, design, design.short_labels())
    save_figure(fig, Path(out.pdf).with_suffix(""))
