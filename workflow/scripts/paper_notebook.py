"""Execute a stage notebook headless and keep it as HTML.

The rule's inputs reach the notebook as an ``INPUTS`` dict (name -> path) in a
cell put before the notebook's own cells, as papermill does with parameters;
the notebook runs in the working directory, where those paths resolve.
"""

from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import atomic_write_text

with script_logging(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    nb = nbformat.read(smk.input.notebook, as_version=4)
    inputs = {str(k): str(v) for k, v in dict(smk.params.inputs).items()}
    cell = nbformat.v4.new_code_cell(f"INPUTS = {inputs!r}")
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(0, cell)
    ExecutePreprocessor(timeout=300, kernel_name="python3").preprocess(
        nb, {"metadata": {"path": str(Path.cwd())}}
    )
    body, _ = HTMLExporter().from_notebook_node(nb)
    atomic_write_text(smk.output.html, body)
