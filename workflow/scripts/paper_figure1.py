"""Figure 1: the study design, from the stages that run and their numbers."""

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.paper.figure1 import draw_study_design
from downstream_safety.paper.load import number_values

with script_logging(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    stages, files = list(smk.params.stages), list(smk.input.numbers)
    audited = "audit" in smk.input.keys()  # absent without a claims registry
    if audited:
        stages, files = [*stages, "paper_audit"], [*files, smk.input.audit]
    values = number_values(stages, files)
    fig = draw_study_design(smk.params.stages, values, audited=audited)
    save_figure(fig, smk.output.pdf.removesuffix(".pdf"))
