"""One chunk of bootstrap resamples: every quantity's statistic per resample."""

import io

import numpy as np

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import atomic_write_bytes
from downstream_safety.instruments.design import from_job
from downstream_safety.robustness import seeds
from downstream_safety.robustness.bootstrap import resample_block
from downstream_safety.robustness.quantities import all_quantities
from downstream_safety.robustness.settings import stage_design

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    cfg = smk.params.settings
    study = from_job(smk)
    quantities = all_quantities(smk.input, stage_design(study), cfg, study)
    draws = seeds.chunk_range(cfg["n_resamples"], cfg["chunks"], smk.params.chunk)
    block = resample_block(quantities, cfg["seed"], draws)
    buf = io.BytesIO()
    np.save(buf, block, allow_pickle=False)
    atomic_write_bytes(smk.output.chunk, buf.getvalue())
    log.info("resamples %s of %d quantities", draws, len(quantities))
