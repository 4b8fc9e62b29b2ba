"""Draw the recruitment funnel."""

from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.recruitment import schemas
from downstream_safety.recruitment.figures import funnel_figure

smk = snakemake  # noqa: F821
with script_logging(smk):
    fun = read_table(smk.input.funnel, schemas.FUNNEL)
    rates = read_table(smk.input.rates, schemas.RATES)
    save_figure(funnel_figure(fun, rates), Path(smk.output.pdf).with_suffix(""))
