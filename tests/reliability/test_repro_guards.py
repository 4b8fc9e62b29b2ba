"""repro.py's guards: supported interpreters, core count, the run lock, stale locks."""

from __future__ import annotations

import fcntl
import glob
import importlib.util
import os
import subprocess
import time
from pathlib import Path

import pytest

from downstream_safety.paths import ROOT
from tests.reliability import repro_copy as R


def _repro():
    spec = importlib.util.spec_from_file_location("repro_under_test", ROOT / "repro.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize(
    "args, added",
    [
        ([], ["--cores", "all"]),
        (["--forceall", "paper/numbers.tex"], ["--cores", "all"]),
        (["-j", "4"], []),
        (["-j4"], []),
        (["--cores", "3"], []),
        (["--cores=3"], []),
        (["-c", "1"], []),
        (["--jobs=2"], []),
    ],
)
def test_all_cores_unless_the_arguments_choose(args, added):
    assert _repro()._cores(args) == added


def test_unsupported_python_names_the_versions_that_work(tmp_path):
    old = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.10*/bin/python3")))
    if not old:
        pytest.skip("no Python 3.10 on this machine")
    res = R.repro(ROOT, "run", python=old[-1], timeout=60)
    assert res.returncode != 0
    for needed in ["3.11", "3.12", "3.13", "uv python install"]:
        assert needed in res.stderr, res.stderr


def _fake_root(tmp_path):
    """repro.py with the real lock (so the existing .venv is reused) and no Snakefile."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in R.BOOTSTRAP_FILES + ["pyproject.toml"]:
        (root / name).write_bytes((ROOT / name).read_bytes())
    return root


def _venv():
    return _repro().VENV


def test_second_run_exits_at_once_with_a_clear_message(tmp_path):
    root = _fake_root(tmp_path)
    lock = root / ".snakemake" / "repro-run.lock"
    lock.parent.mkdir()
    with open(lock, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242\n")
        held.flush()
        start = time.monotonic()
        res = R.repro(root, "run", venv=_venv(), timeout=120)
        took = time.monotonic() - start
    assert res.returncode != 0
    assert "already working" in res.stderr and "4242" in res.stderr, res.stderr
    assert took < 30, f"the second run took {took:.0f} s to give up"


def test_stale_snakemake_lock_is_released_only_when_no_run_is_active(tmp_path):
    root = _fake_root(tmp_path)
    locks = root / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    stale = locks / "0.input.lock"
    stale.write_text("left by a killed run\n")

    # A live process of a Snakemake run in this directory: the lock is not touched.
    other = subprocess.Popen(["bash", "-c", "exec -a snakemake-job sleep 60"], cwd=root)
    try:
        # Wait until the process has become "snakemake-job" (bash exec'd it), with a
        # timeout, rather than for a fixed time.
        cmdline = Path(f"/proc/{other.pid}/cmdline")
        deadline = time.monotonic() + 30
        while b"snakemake-job" not in cmdline.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert b"snakemake-job" in cmdline.read_bytes(), "the stand-in process did not start"
        res = R.repro(root, "run", venv=_venv(), timeout=120)
    finally:
        other.kill()
        other.wait()
    assert res.returncode != 0
    assert f"process {other.pid}" in res.stderr, res.stderr
    assert stale.exists()

    # Nobody works here any more: the lock is released (Snakemake then finds no Snakefile).
    res = R.repro(root, "run", venv=_venv(), timeout=120)
    assert "released the lock left by an interrupted run" in res.stdout, res.stdout + res.stderr
    assert not stale.exists()


def test_another_checkouts_environment_is_never_rebuilt_for_this_one(tmp_path):
    """A checkout pointed at another's environment (DOWNSTREAM_SAFETY_VENV) whose lock
    differs stops: a rebuild would point the owner's .pth at this checkout's src/."""
    owner = tmp_path / "owner"
    owner.mkdir()
    venv = tmp_path / "venv"
    venv.mkdir()
    stamp = venv / ".requirements.sha256"
    stamp.write_text(f"0000 stale key\ninstaller: uv\nroot: {owner}\n")
    before = sorted(p.name for p in venv.iterdir())
    root = _fake_root(tmp_path)
    res = R.repro(root, "snakemake", "--version", venv=venv, timeout=60)
    assert res.returncode != 0
    assert f"belongs to {owner}" in res.stderr and "DOWNSTREAM_SAFETY_VENV" in res.stderr
    assert sorted(p.name for p in venv.iterdir()) == before
    assert stamp.read_text().endswith(f"root: {owner}\n")
