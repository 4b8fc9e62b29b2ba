"""The session guard of tests/conftest.py notices any change to data/raw/."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from downstream_safety.paths import ROOT

TESTS = {
    "clean": "def test_ok():\n    assert True\n",
    "edits": (
        "from pathlib import Path\n"
        "def test_edit():\n"
        "    Path(__file__).parents[1].joinpath('data/raw/a.csv').write_text('x\\n2\\n')\n"
    ),
    "adds_and_fails": (
        "from pathlib import Path\n"
        "def test_add_then_fail():\n"
        "    Path(__file__).parents[1].joinpath('data/raw/new.csv').write_text('y\\n')\n"
        "    assert False\n"
    ),
}


@pytest.mark.parametrize("case", sorted(TESTS))
def test_guard(tmp_path, case):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "a.csv").write_text("x\n1\n")
    (tmp_path / "tests").mkdir()
    shutil.copy2(ROOT / "tests" / "conftest.py", tmp_path / "tests" / "conftest.py")
    (tmp_path / "tests" / "test_case.py").write_text(TESTS[case])
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    out = res.stdout
    if case == "clean":
        assert res.returncode == 0, out
        assert "data/raw/ unchanged (1 files checksummed)" in out
    else:
        assert res.returncode == 1, out
        assert "data/raw/ CHANGED during the test session" in out
        changed = "changed: data/raw/a.csv" if case == "edits" else "added: data/raw/new.csv"
        assert changed in out
