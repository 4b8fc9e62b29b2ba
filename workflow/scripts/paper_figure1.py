"""Figure 1: the study design, from the registered stages and their numbers."""

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.paper.figure1 import draw_study_design
from downstream_safety.paper.load import number_values

with script_logging(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    stages = list(smk.params.stages) + ["paper_audit"]
    values = number_values(stages, [*smk.input.numbers, smk.input.audit])
    fig = draw_study_design(smk.params.workflow_stages, values)
    save_figure(fig, smk.output.pdf.removesuffix(".pdf"))
