"""Compare the waves item by item (only run when more than one wave is configured)."""

import logging
from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.survey import schemas
from downstream_safety.survey.analysis import wave_comparison
from downstream_safety.survey.figures import wave_comparison_figure
from downstream_safety.survey.instrument import load_items, short_labels

with script_logging(snakemake):  # noqa: F821
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter
    out = snakemake.output  # noqa: F821
    items = load_items()
    responses = read_table(snakemake.input.responses, schemas.RESPONSES)  # noqa: F821
    table = wave_comparison(responses, items, list(snakemake.params.wave_order))  # noqa: F821
    write_table(table, out.table, schemas.WAVE_COMPARISON)
    save_figure(wave_comparison_figure(table, items, short_labels()), Path(out.pdf).with_suffix(""))
