"""Specification curve, forest plot of the intervals, saturation over orders: the
figures of the strands that run (the rule's ``figures`` param names them)."""

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

    def curve():
        specs = read_table(inp.specifications, schemas.SPECIFICATIONS)
        return figures.specification_curve(specs, cfg["alpha"])

    def forest():
        return figures.forest(read_table(inp.intervals, schemas.INTERVALS), smk.params.forest_kinds)

    def saturation():
        orders = read_table(inp.orders, schemas.SATURATION_ORDERS)
        actual = read_table(inp.saturation, interview_schemas.saturation_summary_schema(study))
        return figures.saturation_histograms(orders, actual)

    makers = {
        "robustness_specification_curve": curve,
        "robustness_intervals": forest,
        "robustness_saturation_orders": saturation,
    }
    for name, stem in zip(smk.params.figures, smk.params.stems, strict=True):
        save_figure(makers[name](), stem)
        log.info("wrote %s.{pdf,png,svg}", stem)
