"""Figure: published share of labels beside the real MIT-crosswalk shares."""

import logging
from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.incidents import schemas
from downstream_safety.incidents.figures import real_checks_figure
from downstream_safety.instruments.design import from_job

logging.getLogger("fontTools").setLevel(logging.WARNING)

with script_logging(snakemake):  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    design = from_job(snakemake)  # noqa: F821
    shares = read_table(inp.shares, schemas.REAL_SHARES)
    checks = read_table(inp.checks, schemas.REAL_CHECKS)
    fig = real_checks_figure(shares, checks, design.short_labels())
    save_figure(fig, Path(out.pdf).with_suffix(""))
