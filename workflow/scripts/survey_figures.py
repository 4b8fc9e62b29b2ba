"""Figures 3, 4 and 5 for one wave (or the pooled set ``all``)."""

import logging
from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.survey import schemas
from downstream_safety.survey.figures import block_figure, starred_items
from downstream_safety.survey.instrument import load_items, short_labels

TITLES = {
    "importance": "Importance of AI safety concerns",
    "frequency": "Frequency of AI safety practices (* significant vs. other contexts)",
    "agreement": "Agreement on AI safety challenges",
}

with script_logging(snakemake):  # noqa: F821
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter
    wave = snakemake.params.wave  # noqa: F821
    formats = tuple(snakemake.params.formats)  # noqa: F821
    items = load_items()
    short = short_labels()
    levels = read_table(snakemake.input.item_levels, schemas.ITEM_LEVELS)  # noqa: F821
    tests = read_table(snakemake.input.practice_tests, schemas.PRACTICE_TESTS)  # noqa: F821
    levels = levels[levels["wave"] == wave]
    stars = starred_items(tests[tests["wave"] == wave], items, snakemake.params.alpha)  # noqa: F821
    for block, stem in zip(TITLES, snakemake.params.stems, strict=True):  # noqa: F821
        fig = block_figure(levels, items, block, short, title=f"{TITLES[block]} ({wave})",
                           stars=stars)  # fmt: skip
        save_figure(fig, Path(stem), formats=formats)
