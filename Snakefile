# Replication workflow for Gao et al., "AI Safety in the Eyes of the Downstream
# Developer" (arXiv 2503.19444). Run it with the README's quick-start command.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/reliability.smk"
include: "workflow/rules/instruments.smk"
include: "workflow/rules/recruitment.smk"
include: "workflow/rules/interviews.smk"
include: "workflow/rules/survey.smk"
include: "workflow/rules/incidents.smk"
include: "workflow/rules/synthesis.smk"
include: "workflow/rules/paper.smk"
include: "workflow/rules/package.smk"


rule all:
    default_target: True
    input:
        final_targets,
