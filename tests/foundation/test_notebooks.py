"""Notebooks sharing one kernel behave as if each had its own."""

from __future__ import annotations

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from downstream_safety.common.notebooks import execute_notebooks


def _write(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nbformat.write(nb, path)
    return str(path)


def _text(nb, cell):
    return "".join(o.get("text", "") for o in nb.cells[cell].outputs)


def test_one_kernel_and_nothing_leaks_between_notebooks(tmp_path):
    first = _write(tmp_path / "a.ipynb", "import os\nsecret = 41\nprint(os.getpid())")
    second = _write(tmp_path / "b.ipynb", "import os\nprint(os.getpid())\nprint(os.getcwd())")
    leak = _write(tmp_path / "c.ipynb", "print(secret + 1)")
    done = list(execute_notebooks([first, second], tmp_path))
    assert [p for p, _ in done] == [first, second]
    pid_a = _text(done[0][1], 0).split()
    pid_b, cwd = _text(done[1][1], 0).split()
    assert pid_a == [pid_b], "the notebooks did not share one kernel"
    assert cwd == str(tmp_path)
    with pytest.raises(CellExecutionError, match="NameError"):
        list(execute_notebooks([first, leak], tmp_path))
