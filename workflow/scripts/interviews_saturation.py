"""Saturation curves and points (Guest et al. 2006 and 2020) per RQ."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews import schemas
from downstream_safety.interviews.load import load_participants
from downstream_safety.interviews.outputs import write_tables
from downstream_safety.interviews.saturation import saturation_tables

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    design = from_job(smk)
    cfg = smk.params.saturation
    participants = load_participants(smk.input.participants, design)
    seg = read_table(smk.input.segments, schemas.segments_clean_schema(design))
    curves, summary = saturation_tables(
        seg,
        participants,
        design.rqs,
        batch_size=cfg["guest2006"]["batch_size"],
        coverage=cfg["guest2006"]["coverage"],
        base_size=cfg["guest2020"]["base_size"],
        run_length=cfg["guest2020"]["run_length"],
        threshold=cfg["guest2020"]["threshold"],
        step=cfg["guest2020"]["step"],
    )
    log.info("saturation points:\n%s", summary.to_string(index=False))
    write_tables(
        [
            (curves, smk.output.curves, schemas.saturation_schema(design)),
            (summary, smk.output.summary, schemas.saturation_summary_schema(design)),
        ]
    )
