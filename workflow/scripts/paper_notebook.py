"""Execute a stage notebook headless and keep it as HTML."""

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import atomic_write_text
from downstream_safety.paths import ROOT

with script_logging(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    nb = nbformat.read(smk.input.notebook, as_version=4)
    ExecutePreprocessor(timeout=300, kernel_name="python3").preprocess(
        nb, {"metadata": {"path": str(ROOT)}}
    )
    body, _ = HTMLExporter().from_notebook_node(nb)
    atomic_write_text(smk.output.html, body)
