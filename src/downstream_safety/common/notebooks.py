"""Execute several notebooks in one kernel, each as if in a fresh one.

Starting a kernel (and importing pandas in it) costs more than running the
stage notebooks, so they share one kernel. Its user namespace is reset before
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


def execute_notebooks(
    paths: Iterable[str], cwd: Path
) -> Iterator[tuple[str, nbformat.NotebookNode]]:
    """Yield each notebook executed (in order, in one kernel); stop at the first error."""
    kernel = SharedKernel(cwd)
    try:
        for i, path in enumerate(paths):
            if i:
                kernel.reset()  # nothing a notebook defined reaches the next one
            yield path, kernel.execute(nbformat.read(path, as_version=4))
    finally:
        kernel.shutdown()
