"""Execute the stage notebooks headless, in one kernel, and keep each as HTML.

The rule's inputs reach each notebook as an ``INPUTS`` dict (name -> path) in a
cell put before its own cells; the notebooks run in the working directory,
where those paths resolve.
"""

from pathlib import Path

from nbconvert import HTMLExporter

from downstream_safety.common.atomic import atomic_write_text
from downstream_safety.common.logging import script_logging
from downstream_safety.common.notebooks import execute_notebooks

with script_logging(snakemake) as log:  # noqa: F821
    smk = snakemake  # noqa: F821
    targets = dict(zip(smk.input.notebooks, smk.output.html, strict=True))
    inputs = [{str(k): str(v) for k, v in d.items()} for d in smk.params.inputs]
    for source, nb in execute_notebooks(targets, Path.cwd(), inputs):
        log.info("executed %s", source)
        body, _ = HTMLExporter().from_notebook_node(nb)
        atomic_write_text(targets[source], body)
