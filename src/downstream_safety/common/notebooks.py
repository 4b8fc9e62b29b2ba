"""Execute several notebooks in one kernel, each as if in a fresh one.

Starting a kernel (and importing pandas in it) costs more than running the
stage notebooks, so they share one kernel: the three stage notebooks of the
paper study took 2.3-2.8 s in one kernel and 6.5-6.6 s each in a fresh kernel
(nbclient, 2-core machine; benchmarks/README.md). Its user namespace is reset before
every notebook but the first; imported modules stay loaded, which is the
saving, so a notebook must set every option it relies on itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

KERNEL = "python3"
_RESET = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%reset -f")])


class SharedKernel:
    """One kernel, and one client of it, reused by successive NotebookClients."""

    def __init__(self, cwd: Path, timeout: int = 300):
        self.cwd = str(cwd)
        self.timeout = timeout
        self.km = NotebookClient(_RESET, kernel_name=KERNEL).create_kernel_manager()
        self.kc = None

    def execute(self, nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
        client = NotebookClient(
            nb,
            km=self.km,
            timeout=self.timeout,
            kernel_name=KERNEL,
            resources={"metadata": {"path": self.cwd}},
        )
        client.kc = self.kc  # None the first time: the client starts kernel and client
        client.execute()
        self.kc = client.kc
        return nb

    def reset(self) -> None:
        self.execute(nbformat.v4.new_notebook(cells=_RESET.cells))

    def shutdown(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km.has_kernel:
            run_sync(self.km.shutdown_kernel)(now=True)  # the manager is asynchronous


def with_inputs(nb: nbformat.NotebookNode, inputs: dict[str, str]) -> nbformat.NotebookNode:
    """Put the rule's inputs before the notebook's own cells as an ``INPUTS`` dict
    (name -> path), as papermill does with parameters."""
    cell = nbformat.v4.new_code_cell(f"INPUTS = {dict(sorted(inputs.items()))!r}")
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(0, cell)
    return nb


def execute_notebooks(
    paths: Iterable[str], cwd: Path, inputs: Iterable[dict[str, str]] | None = None
) -> Iterator[tuple[str, nbformat.NotebookNode]]:
    """Yield each notebook executed (in order, in one kernel); stop at the first error.

    ``inputs`` gives each notebook its ``INPUTS`` dict (see :func:`with_inputs`).
    """
    paths = list(paths)
    inputs = list(inputs) if inputs is not None else [None] * len(paths)
    kernel = SharedKernel(cwd)
    try:
        for i, (path, given) in enumerate(zip(paths, inputs, strict=True)):
            if i:
                kernel.reset()  # nothing a notebook defined reaches the next one
            nb = nbformat.read(path, as_version=4)
            if given is not None:
                nb = with_inputs(nb, given)
            yield path, kernel.execute(nb)
    finally:
        kernel.shutdown()
