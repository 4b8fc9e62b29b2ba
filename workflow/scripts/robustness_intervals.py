"""Gather the bootstrap resamples; BCa interval per quantity."""

import numpy as np

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.instruments.design import from_job
from downstream_safety.robustness import schemas
from downstream_safety.robustness.bootstrap import intervals
from downstream_safety.robustness.quantities import all_quantities
from downstream_safety.robustness.settings import stage_design

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    cfg = smk.params.settings
    study = from_job(smk)
    quantities = all_quantities(smk.input, stage_design(study), cfg, study)
    distribution = np.vstack([np.load(p, allow_pickle=False) for p in smk.input.chunks])
    if distribution.shape[0] != cfg["n_resamples"]:
        raise ValueError(
            f"{distribution.shape[0]} resamples gathered, {cfg['n_resamples']} expected: "
            "a bug in the package"
        )
    table = intervals(quantities, distribution, cfg["level"])
    log.info("%d intervals, %d without one", len(table), int(table["ci_low"].isna().sum()))
    write_table(table, smk.output.intervals, schemas.INTERVALS)
