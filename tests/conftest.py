"""Session-wide guards and the reliability summary.

* data/raw/ is read-only to everything, tests included: its files are checksummed
  when the session starts and again when it ends (also after failures), and the
  session fails if a byte changed, a file appeared or a file disappeared.
* Tests marked ``bad_input`` (the fault catalogue) and every Hypothesis test are
  counted, and the counts are printed at the end of the run.
* ``pipeline``: the whole pipeline, run once per session exactly as `repro.py run`
  does, for the (slow) tests of any stage that check its real outputs.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
_STATE: dict = {"bad_input": Counter(), "fuzz_examples": 0, "fuzz_tests": 0}
_HYPOTHESIS_COUNTS = re.compile(r"(\d+) passing, (\d+) failing, and (\d+) invalid")


def raw_checksums(folder: Path = RAW) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="session")
def pipeline():
    from tests.foundation.helpers import run, tool

    res = run([tool("snakemake"), "--cores", "2"], timeout=1800)
    assert res.returncode == 0, (res.stdout + res.stderr)[-6000:]
    return res


def pytest_configure(config):
    config.addinivalue_line("markers", "bad_input: a case of the bad-input fault catalogue")


def pytest_sessionstart(session):
    _STATE["raw_before"] = raw_checksums()


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        if "bad_input" in report.keywords:
            outcome = "xfailed" if hasattr(report, "wasxfail") else report.outcome
            _STATE["bad_input"][outcome] += 1
    if report.when == "teardown":
        # Hypothesis' pytest plugin attaches its run statistics to the teardown report.
        stats = report.__dict__.get("_hypothesis_stats")
        if isinstance(stats, str):
            counts = _HYPOTHESIS_COUNTS.findall(stats)
            if counts:
                _STATE["fuzz_tests"] += 1
                _STATE["fuzz_examples"] += sum(int(a) + int(b) for a, b, _ in counts)


def pytest_sessionfinish(session, exitstatus):
    before = _STATE.get("raw_before")
    if before is None:
        return
    after = raw_checksums()
    changed = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    _STATE["raw_diff"] = (changed, added, removed)
    _STATE["raw_files"] = len(after)
    if changed or added or removed:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    tr = terminalreporter
    bad = _STATE["bad_input"]
    tr.section("reliability summary")
    if bad:
        parts = ", ".join(f"{n} {k}" for k, n in sorted(bad.items()))
        tr.write_line(f"bad-input cases run: {sum(bad.values())} ({parts})")
    else:
        tr.write_line("bad-input cases run: 0")
    tr.write_line(
        f"fuzz examples run: {_STATE['fuzz_examples']} (in {_STATE['fuzz_tests']} Hypothesis tests)"
    )
    diff = _STATE.get("raw_diff")
    if diff is None:
        return
    changed, added, removed = diff
    if changed or added or removed:
        tr.write_line("data/raw/ CHANGED during the test session:", red=True, bold=True)
        for label, names in (("changed", changed), ("added", added), ("removed", removed)):
            for name in names:
                tr.write_line(f"  {label}: data/raw/{name}", red=True)
    else:
        tr.write_line(f"data/raw/ unchanged ({_STATE['raw_files']} files checksummed)")
