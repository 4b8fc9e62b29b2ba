"""One figure per survey block (Figures 3-5 of the paper) for one wave or the pooled set."""

import logging
from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.instruments.design import from_job
from downstream_safety.survey import schemas
from downstream_safety.survey.figures import block_figure, starred_items

with script_logging(snakemake):  # noqa: F821
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter
    design = from_job(snakemake)  # noqa: F821
    wave = snakemake.params.wave  # noqa: F821
    formats = tuple(snakemake.params.formats)  # noqa: F821
    short = design.short_labels()
    levels = read_table(snakemake.input.item_levels, schemas.item_levels_schema(design))  # noqa: F821
    tests = read_table(snakemake.input.practice_tests,  # noqa: F821
                       schemas.practice_tests_schema(design), allow_empty=True)  # fmt: skip
    levels = levels[levels["wave"] == wave]
    stars = starred_items(tests[tests["wave"] == wave], design, snakemake.params.alpha)  # noqa: F821
    blocks = design.blocks
    for block, title, stem in zip(blocks["block"], blocks["figure_title"],
                                  snakemake.params.stems, strict=True):  # noqa: F821  # fmt: skip
        fig = block_figure(levels, design, block, short, title=f"{title} ({wave})",
                           note=snakemake.params.provenance, stars=stars)  # noqa: F821  # fmt: skip
        save_figure(fig, Path(stem), formats=formats)
