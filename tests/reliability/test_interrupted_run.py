"""A run killed mid-rule leaves nothing a later run would trust, and the rerun is byte-identical."""

from __future__ import annotations

import base64
import os
import re
import signal
import subprocess
import time

import pytest

from tests.reliability import workflow_copy as W

pytestmark = pytest.mark.slow  # starts Snakemake in a subprocess

# Cheap targets: Table 1 (two chained rules), the raw-input report and the
# recruitment funnel (one rule of another stage).
TARGETS = [
    "paper/tables/table1.csv",
    "paper/tables/table1.md",
    "paper/tables/table1.tex",
    "data/processed/reliability/raw_manifest.csv",
    "data/processed/recruitment/funnel.csv",
]


def _incomplete(copy):
    """Outputs Snakemake has marked as incomplete (base64 names under .snakemake/incomplete/)."""
    folder = copy / ".snakemake" / "incomplete"
    marked = set()
    if folder.exists():
        for p in folder.rglob("*"):
            if p.is_file():
                try:
                    marked.add(base64.b64decode(p.name, altchars=b"+_").decode())
                except ValueError:
                    continue
    return marked


def _start_and_kill(copy, rule=None):
    """Start a real run; SIGKILL its whole process group once a job (of ``rule``) has started."""
    proc = subprocess.Popen(
        [W.SNAKEMAKE, "--cores", "1", *TARGETS],
        cwd=copy,
        env=W.env_for(copy),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    seen = []
    try:
        for line in proc.stderr:
            seen.append(line)
            started = re.match(r"(?:local)?rule (\w+):", line)
            if started and rule in (None, started.group(1)):
                # Kill as soon as Snakemake has marked the job's outputs incomplete:
                # the job is under way but its script (which imports pandas first)
                # cannot have finished. A fixed sleep was too long on a fast machine.
                deadline = time.monotonic() + 10
                while not _incomplete(copy) and time.monotonic() < deadline:
                    time.sleep(0.01)
                break
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.stderr.close()
    return proc.returncode, "".join(seen)


def _check_nothing_partial_is_trusted(copy, expected):
    after_kill = W.outputs(copy)
    assert not set(TARGETS) <= set(after_kill), "the kill came too late to interrupt anything"
    marked = _incomplete(copy)
    assert marked, "Snakemake marked no output of the killed job as incomplete"
    for name, data in after_kill.items():
        assert data == expected.get(name) or name in marked, f"{name} is partial but trusted"
    # The documented recovery: release the lock the killed run left.
    unlock = W.snakemake(copy, "--unlock", *TARGETS)
    assert unlock.returncode == 0, unlock.stderr[-3000:]


def test_killed_run_is_completed_identically_by_the_next_run(tmp_path):
    reference = W.make_copy(tmp_path / "reference")
    victim = W.make_copy(tmp_path / "victim")
    ref = W.snakemake(reference, "--cores", "1", *TARGETS)
    assert ref.returncode == 0, ref.stderr[-3000:]
    expected = W.outputs(reference)
    assert set(TARGETS) <= set(expected)

    # Killed in the first job, then killed again in the last job (Table 1 writes three files).
    for rule in [None, "instruments_table1"]:
        code, log = _start_and_kill(victim, rule)
        assert code == -signal.SIGKILL, (code, log[-1500:])
        _check_nothing_partial_is_trusted(victim, expected)

    rerun = W.snakemake(victim, "--cores", "1", *TARGETS)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert W.outputs(victim) == expected
    assert not _incomplete(victim)
