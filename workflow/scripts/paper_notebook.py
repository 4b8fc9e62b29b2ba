"""Execute the stage notebooks headless, in one kernel, and keep each as HTML."""

from nbconvert import HTMLExporter

from downstream_safety.common.atomic import atomic_write_text
from downstream_safety.common.logging import script_logging
from downstream_safety.common.notebooks import execute_notebooks
from downstream_safety.paths import ROOT

with script_logging(snakemake) as log:  # noqa: F821
    smk = snakemake  # noqa: F821
    targets = dict(zip(smk.input.notebooks, smk.output.html, strict=True))
    for source, nb in execute_notebooks(targets, ROOT):
        log.info("executed %s", source)
        body, _ = HTMLExporter().from_notebook_node(nb)
        atomic_write_text(targets[source], body)
