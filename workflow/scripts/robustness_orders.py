"""Gather the random orders; distribution of the saturation interview."""

import pandas as pd

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.robustness import schemas
from downstream_safety.robustness.orders import distribution

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    points = pd.concat(
        [read_table(p, schemas.ORDER_POINTS) for p in smk.input.chunks], ignore_index=True
    )
    table = distribution(points, smk.params.settings["n_orders"])
    log.info("\n%s", table.to_string(index=False))
    write_table(table, smk.output.orders, schemas.SATURATION_ORDERS)
