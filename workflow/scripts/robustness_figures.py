"""Specification curve, forest plot of the intervals, saturation over orders."""

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews import schemas as interview_schemas
from downstream_safety.robustness import figures, schemas

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    study = from_job(smk)
    inp, cfg = smk.input, smk.params.settings
    specs = read_table(inp.specifications, schemas.SPECIFICATIONS)
    iv = read_table(inp.intervals, schemas.INTERVALS)
    kinds = smk.params.forest_kinds
    orders = read_table(inp.orders, schemas.SATURATION_ORDERS)
    actual = read_table(inp.saturation, interview_schemas.saturation_summary_schema(study))
    made = [
        figures.specification_curve(specs, cfg["alpha"]),
        figures.forest(iv, kinds),
        figures.saturation_histograms(orders, actual),
    ]
    for fig, stem in zip(made, smk.params.stems, strict=True):
        save_figure(fig, stem)
        log.info("wrote %s.{pdf,png,svg}", stem)
