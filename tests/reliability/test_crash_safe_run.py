"""`python3 repro.py run`, killed at several points, is finished by the same command.

Real runs in a copy of the repository, with their own environment, are killed
with SIGKILL (their whole process group: what a power loss does) while the
environment is being built, in the middle of the pipeline and while the report
is written. The next plain `python3 repro.py run` must complete, and the
outputs must be byte-identical to paper/MANIFEST.sha256.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from downstream_safety.paper import verify
from downstream_safety.paths import ROOT
from tests.reliability import repro_copy as R

pytestmark = pytest.mark.slow


class Run:
    """A started `repro.py run` whose output is collected line by line."""

    def __init__(self, copy, venv):
        self.proc = R.start(copy, "run", venv=venv)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def text(self) -> str:
        return "".join(self.lines)

    def wait_for(self, predicate, timeout=900) -> None:
        end = time.monotonic() + timeout
        while not predicate(self.text()):
            if self.proc.poll() is not None:
                self.reader.join(5)
                raise AssertionError(f"the run ended before the kill point:\n{self.text()[-3000:]}")
            assert time.monotonic() < end, f"kill point not reached:\n{self.text()[-3000:]}"
            time.sleep(0.05)

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(60)
        self.reader.join(10)
        assert self.proc.returncode == -signal.SIGKILL, self.text()[-3000:]

    def finish(self, timeout=1800) -> int:
        self.proc.wait(timeout)
        self.reader.join(10)
        return self.proc.returncode


def test_killed_runs_are_finished_by_the_next_plain_run(tmp_path):
    copy = R.make_copy(tmp_path / "repo")
    venv = tmp_path / "venv"
    stamp = venv / ".requirements.sha256"

    # 1. While the environment is built (the installer is writing into it).
    run = Run(copy, venv)
    run.wait_for(lambda t: "[repro] building" in t)
    # Kill as soon as the environment folder exists, while the installer fills it
    # (a fixed wait outlasted the whole build with a warm package cache).
    end = time.monotonic() + 300
    while not (venv / "pyvenv.cfg").exists() and time.monotonic() < end:
        time.sleep(0.005)
    run.kill()
    assert not stamp.exists(), "a half-built environment was marked as ready"

    # 2. In the middle of the pipeline, after a few jobs finished; meanwhile a
    #    second run in the same directory gives up at once.
    run = Run(copy, venv)
    run.wait_for(lambda t: t.count("Finished jobid") >= 4)
    second = R.repro(copy, "run", venv=venv, timeout=120)
    assert second.returncode != 0 and "already working" in second.stderr, second.stderr
    run.kill()
    assert any((copy / ".snakemake" / "locks").iterdir()), "the kill left no Snakemake lock"

    # 3. While the report is written.
    run = Run(copy, venv)
    run.wait_for(lambda t: "released the lock left by an interrupted run" in t)
    run.wait_for(lambda t: "Creating report" in t)
    run.kill()

    # 4. The same command, no flags, finishes the work.
    run = Run(copy, venv)
    assert run.finish() == 0, run.text()[-4000:]
    assert "privacy gate" in run.text()
    assert (copy / "paper" / "report.html").stat().st_size > 0

    expected = verify.read_manifest(ROOT / verify.MANIFEST)
    actual = verify.hashes(copy, verify.generated_files(copy))
    assert verify.compare(expected, actual) == []

    # 5. Nothing left to do: the report is kept, until it goes missing.
    report = copy / "paper" / "report.html"
    built = report.stat().st_mtime_ns
    again = R.repro(copy, "run", venv=venv, timeout=900)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "is up to date" in again.stdout and report.stat().st_mtime_ns == built
    report.unlink()
    again = R.repro(copy, "run", venv=venv, timeout=900)
    assert again.returncode == 0 and report.exists(), again.stderr[-3000:]


def test_concurrent_first_runs_build_the_environment_once(tmp_path):
    copy = R.make_copy(tmp_path / "repo")
    venv = tmp_path / "venv"
    starts = [R.start(copy, "snakemake", "--version", venv=venv) for _ in range(2)]
    outs = [p.communicate(timeout=900)[0] for p in starts]
    assert [p.returncode for p in starts] == [0, 0], outs
    assert sum(o.count("[repro] building") for o in outs) == 1, outs
    assert all(o.strip().splitlines()[-1].startswith("9.") for o in outs), outs
