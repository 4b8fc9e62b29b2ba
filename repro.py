#!/usr/bin/env python3
"""Set up the pinned environment and run the pipeline or the tests.

Needs only Python 3.11 with pip and venv. The virtual environment lives in
``.venv`` and is rebuilt when requirements.txt, requirements.lock or
pyproject.toml change (a stamp file records their hash).

    python3 repro.py run      # regenerate every artefact (+ the HTML report)
    python3 repro.py test     # run the whole test suite
    python3 repro.py verify   # rebuild in a temporary copy, compare with paper/MANIFEST.sha256
    python3 repro.py snakemake ARGS...   # any snakemake command in the environment
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("DOWNSTREAM_SAFETY_VENV", ROOT / ".venv"))
BIN = VENV / "bin"
STAMP = VENV / ".requirements.sha256"
INPUTS = ["requirements.txt", "requirements.lock", "pyproject.toml"]


def _hash() -> str:
    h = hashlib.sha256()
    for name in INPUTS:
        h.update(name.encode())
        h.update((ROOT / name).read_bytes())
    return h.hexdigest()


def ensure_env() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Python 3.11 is required (this is {sys.version.split()[0]}).")
    want = _hash()
    if STAMP.exists() and STAMP.read_text().strip() == want:
        return
    print(f"[repro] creating the pinned environment in {VENV} ...", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "install", "-r", "requirements.txt", "-c", "requirements.lock"],
        cwd=ROOT,
        check=True,
    )
    # The package itself is put on the path with a .pth file (what an editable
    # install does) so no build backend has to be fetched.
    site = subprocess.run(
        [str(BIN / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "downstream_safety.pth").write_text(str(ROOT / "src") + "\n")
    STAMP.write_text(want + "\n")


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PATH"] = f"{BIN}{os.pathsep}{e.get('PATH', '')}"
    e["MPLCONFIGDIR"] = str(ROOT / ".snakemake" / "mplconfig")
    e["MATPLOTLIBRC"] = str(ROOT / "src/downstream_safety/common/matplotlibrc")
    e.setdefault("SOURCE_DATE_EPOCH", "0")
    e["PYTHONHASHSEED"] = "0"
    return e


def run(cmd: list[str]) -> int:
    return subprocess.run(cmd, cwd=ROOT, env=env()).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    ensure_env()
    action, rest = argv[0], argv[1:]
    snakemake = [str(BIN / "snakemake"), "--cores", "2"]
    if action == "run":
        rc = run([*snakemake, *rest])
        if rc == 0:
            rc = run([*snakemake, "--report", "paper/report.html"])
        if rc == 0:
            # The report is built after the workflow's own privacy gate ran: scan it too.
            privacy = "downstream_safety.reliability.privacy"
            rc = run([str(BIN / "python"), "-m", privacy, "paper/report.html"])
        return rc
    if action == "test":
        return run([str(BIN / "python"), "-m", "pytest", *rest])
    if action == "verify":
        return run([str(BIN / "python"), "-m", "downstream_safety.paper.verify", *rest])
    if action == "snakemake":
        return run([*snakemake, *rest])
    print(f"unknown action {action!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
