#!/usr/bin/env python3
"""Set up the pinned environment and run the pipeline or the tests.

Needs only Python 3.11, 3.12 or 3.13. The virtual environment lives in
``.venv``; it is built with uv (installed from PyPI into ``.venv-tools`` by this
script, hash-checked) or, where uv cannot be installed, with pip, in both cases
from the hash-checked ``requirements.lock``. It is rebuilt when the lock,
pyproject.toml or the interpreter change (a stamp file records them).

    python3 repro.py run [ARGS]   # regenerate every artefact (+ the HTML report)
    python3 repro.py test [ARGS]  # run the whole test suite (ARGS go to pytest)
    python3 repro.py verify       # rebuild in a temporary copy, compare with paper/MANIFEST.sha256
    python3 repro.py snakemake ARGS...   # any snakemake command in the environment
    python3 repro.py slurm [ARGS]  # add the SLURM executor plugin (an extra) and run
                                  # snakemake --profile profiles/slurm ARGS (README)
    python3 repro.py lock         # regenerate requirements.lock and requirements-bootstrap.lock
    python3 repro.py deidentify --format F --salt-file S EXPORT data/raw/survey/NAME.csv
                                  # write a survey export's publishable wave (docs/survey.md)
    python3 repro.py aiid-extract SNAPSHOT  # write data/raw/incidents/aiid/ from an AIID
                                  # snapshot (backup-*.tar.bz2 or its folder; docs/incidents.md)
    python3 repro.py new-study DIR  # write a study folder that runs as it is, to adapt
                                  # (docs/adapting.md)

`run` uses all cores unless ARGS choose (`-j N`, `--cores N`); further ARGS go
to Snakemake. After an interruption the same command finishes the work: it
reruns incomplete outputs and clears a stale Snakemake lock when no other run
is working in this directory. A second `run` started while one is active exits
at once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("DOWNSTREAM_SAFETY_VENV", ROOT / ".venv")).absolute()
BIN = VENV / "bin"
STAMP = VENV / ".requirements.sha256"
TOOLS = ROOT / ".venv-tools"
LOCK = "requirements.lock"
# The environment with the SLURM executor plugin: a superset of LOCK. Installed by
# `repro.py slurm`; every other command accepts it too, so it is not rebuilt away.
SLURM_LOCK = "requirements-slurm.lock"
BOOTSTRAP_LOCK = "requirements-bootstrap.lock"
SUPPORTED = ((3, 11), (3, 12), (3, 13))
# Bump when the way the environment is built changes, so old ones are rebuilt.
LAYOUT = "2"


def say(msg: str) -> None:
    print(f"[repro] {msg}", flush=True)


def check_python() -> None:
    if sys.version_info[:2] in SUPPORTED:
        return
    versions = ", ".join(f"{a}.{b}" for a, b in SUPPORTED)
    sys.exit(
        f"This is Python {sys.version.split()[0]}; the pinned environment needs"
        f" one of {versions}.\n"
        "Get one, for example with `uv python install 3.12` (uv: https://docs.astral.sh/uv/),\n"
        "pyenv, your system's package manager or python.org, then run this command with it,\n"
        "e.g. `python3.12 repro.py run`."
    )


def base_python() -> str:
    """The interpreter to build the environment from (not a virtual environment's copy)."""
    return os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)


# --- file locks ---------------------------------------------------------------
# fcntl locks die with their process, so a killed run never leaves one behind.


def _open_lock(path: Path):
    import fcntl  # POSIX only (Linux, macOS), like the rest of the environment

    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+")
    return fh, fcntl


def lock_shared_or_exclusive(path: Path, exclusive: bool):
    fh, fcntl = _open_lock(path)
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(fh, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        say("waiting for another process that is building or using the environment ...")
        fcntl.flock(fh, mode)
    return fh


def lock_run():
    """Hold the per-directory run lock, or exit at once if another run holds it."""
    path = ROOT / ".snakemake" / "repro-run.lock"
    fh, fcntl = _open_lock(path)
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        pid = fh.read().strip() or "unknown"
        sys.exit(
            f"Another `repro.py run` or `repro.py test` (process {pid}) is already working"
            f" in {ROOT}.\n"
            "Wait for it to finish (or stop it), then run the command again."
        )
    fh.seek(0)
    fh.truncate()
    fh.write(f"{os.getpid()}\n")
    fh.flush()
    return fh


# --- the environment ----------------------------------------------------------


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "big"))
        h.update(p)
    return h.hexdigest()


def env_key(lock: str = LOCK) -> str:
    python = f"{base_python()} {sys.version}".encode()
    files = [(ROOT / n).read_bytes() for n in (lock, "pyproject.toml")]
    return _digest(LAYOUT.encode(), python, *files)


def env_ready(lock: str = LOCK) -> bool:
    """The environment matches ``lock`` (LOCK: also the SLURM superset)."""
    superset = lock == LOCK and (ROOT / SLURM_LOCK).exists()
    accepted = {env_key(lock)} | ({env_key(SLURM_LOCK)} if superset else set())
    return STAMP.exists() and STAMP.read_text().split("\n")[0] in accepted


def ensure_env(lock: str = LOCK) -> object:
    """Make sure the environment matches the lock; return the shared lock held on it.

    Builds take an exclusive file lock, users of the environment a shared one, so
    concurrent first runs build once and a rebuild never pulls the environment
    from under a running job.
    """
    lockfile = VENV.with_name(VENV.name + ".lock")
    while True:
        fh = lock_shared_or_exclusive(lockfile, exclusive=False)
        if env_ready(lock):
            return fh
        fh.close()
        fh = lock_shared_or_exclusive(lockfile, exclusive=True)
        if not env_ready(lock):
            build_env(lock)
        fh.close()


def _pip_runner(python: str) -> list[str]:
    """pip for ``python``: its own, else the wheel ensurepip ships (pip runs from a wheel)."""
    ok = subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode == 0
    if ok:
        return [python, "-m", "pip"]
    import ensurepip

    bundled = sorted((Path(ensurepip.__file__).parent / "_bundled").glob("pip-*.whl"))
    if not bundled:
        raise RuntimeError("neither pip nor ensurepip's bundled pip is available")
    return [python, str(bundled[-1] / "pip")]


def ensure_uv() -> Path:
    """uv from PyPI, hash-checked, in .venv-tools (never a system-wide install)."""
    uv = TOOLS / "bin" / "uv"
    stamp = TOOLS / ".bootstrap.sha256"
    want = _digest(LAYOUT.encode(), (ROOT / BOOTSTRAP_LOCK).read_bytes(), sys.platform.encode())
    if uv.exists() and stamp.exists() and stamp.read_text().strip() == want:
        return uv
    lockfile = TOOLS.with_name(TOOLS.name + ".lock")
    fh = lock_shared_or_exclusive(lockfile, exclusive=True)
    try:
        if uv.exists() and stamp.exists() and stamp.read_text().strip() == want:
            return uv
        shutil.rmtree(TOOLS, ignore_errors=True)
        pip = _pip_runner(sys.executable)
        subprocess.run(
            [
                *pip,
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--require-hashes",
                "--target",
                str(TOOLS),
                "-r",
                str(ROOT / BOOTSTRAP_LOCK),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        if not uv.exists():
            raise RuntimeError(f"{uv} missing after installing uv")
        stamp.write_text(want + "\n")
        return uv
    finally:
        fh.close()


def _stamp_root() -> str | None:
    """The checkout whose package the environment's .pth points at (None: unknown)."""
    if not STAMP.exists():
        return None
    for line in STAMP.read_text().splitlines():
        if line.startswith("root: "):
            return line.removeprefix("root: ")
    return None


def build_env(lock: str = LOCK) -> None:
    owner = _stamp_root()
    if owner is not None and owner != str(ROOT) and Path(owner).exists():
        # A checkout using another checkout's environment (DOWNSTREAM_SAFETY_VENV) must
        # not rebuild it: the rebuilt .pth would point at this checkout's src/.
        raise SystemExit(
            f"[repro] {VENV} belongs to {owner} and does not match this checkout's "
            f"{lock} or pyproject.toml; run `python3 repro.py` there to update it, or "
            "unset DOWNSTREAM_SAFETY_VENV to use this checkout's own environment"
        )
    STAMP.unlink(missing_ok=True)  # an interrupted build is never trusted
    forced = os.environ.get("DOWNSTREAM_SAFETY_INSTALLER", "uv")
    installer = "pip"
    if forced == "uv":
        try:
            uv = ensure_uv()
            installer = "uv"
        except (OSError, RuntimeError, subprocess.CalledProcessError) as err:
            detail = getattr(err, "stderr", None) or str(err)
            say(f"uv could not be installed ({detail.strip().splitlines()[-1]}); using pip")
    else:
        say("DOWNSTREAM_SAFETY_INSTALLER=pip: using pip")
    say(f"building {VENV} with {installer} from the hash-checked {lock} ...")
    if installer == "uv":
        quiet = ["--quiet"]
        subprocess.run(
            [str(uv), "venv", *quiet, "--clear", "--python", base_python(), str(VENV)], check=True
        )
        subprocess.run(
            [
                str(uv),
                "pip",
                "install",
                *quiet,
                "--python",
                str(BIN / "python"),
                "--require-hashes",
                "--no-deps",
                "-r",
                str(ROOT / lock),
            ],
            check=True,
        )
    else:
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        subprocess.run(
            [
                str(BIN / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--require-hashes",
                "--no-deps",
                "-r",
                str(ROOT / lock),
            ],
            check=True,
        )
    # The package is put on the path with a .pth file (what an editable install
    # does), so it imports from any directory without fetching a build backend.
    site = subprocess.run(
        [str(BIN / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "downstream_safety.pth").write_text(str(ROOT / "src") + "\n")
    STAMP.write_text(f"{env_key(lock)}\ninstaller: {installer}\nroot: {ROOT}\n")
    say(f"environment ready (built with {installer})")


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PATH"] = f"{BIN}{os.pathsep}{e.get('PATH', '')}"
    e["MPLCONFIGDIR"] = str(ROOT / ".snakemake" / "mplconfig")
    e["MATPLOTLIBRC"] = str(ROOT / "src/downstream_safety/common/matplotlibrc")
    e.setdefault("SOURCE_DATE_EPOCH", "0")
    e["PYTHONHASHSEED"] = "0"
    # The environment is private to this package: let Python cache compiled
    # bytecode in it. Otherwise every job recompiles pandas and friends from
    # source (uv installs no bytecode; compiling all of it at install is slower).
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    return e


def run(cmd: list[str]) -> int:
    return subprocess.run(cmd, cwd=ROOT, env=env()).returncode


# --- crash-safe reruns --------------------------------------------------------


def _cores(args: list[str]) -> list[str]:
    """``--cores all`` unless the arguments already choose."""
    chosen = ("-j", "--jobs", "-c", "--cores")
    if any(a in chosen or a.startswith(("--jobs=", "--cores=")) for a in args):
        return []
    if any(a.startswith(("-j", "-c")) and a[2:].isdigit() for a in args):
        return []
    return ["--cores", "all"]


def _snakemake_processes_here() -> list[int] | None:
    """Other processes of a Snakemake run in this directory (None: cannot tell)."""
    proc = Path("/proc")
    if not (proc / "self" / "cwd").exists():
        return None
    mine = {os.getpid(), os.getppid()}
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            cmd = (entry / "cmdline").read_bytes()
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if b"snakemake" in cmd and Path(cwd) == ROOT:
            found.append(int(entry.name))
    return found


def clear_stale_lock() -> None:
    """Remove the lock files a killed Snakemake left, if no Snakemake works here."""
    locks = ROOT / ".snakemake" / "locks"
    stale = sorted(locks.glob("*")) if locks.is_dir() else []
    if not stale:
        return
    others = _snakemake_processes_here()
    if others is None:
        say("a Snakemake lock exists and this system cannot tell whether a run is active;")
        say("if none is, release it with `python3 repro.py snakemake --unlock`.")
        return
    if others:
        pids = ", ".join(map(str, others))
        sys.exit(
            f"Snakemake (process {pids}) is working in {ROOT}; not touching its lock.\n"
            "Wait for it to finish (or stop it), then run the command again."
        )
    for f in stale:
        f.unlink(missing_ok=True)
    say("released the lock left by an interrupted run")


REPORT = ROOT / "paper" / "report.html"
REPORT_STATE = ROOT / ".snakemake" / "repro-report.sha256"


def report_state(rest: list[str]) -> str:
    """What the report is made of: job records, workflow, config, arguments, the report."""
    h = hashlib.sha256(repr(rest).encode())
    folders = [ROOT / ".snakemake" / "metadata", ROOT / "workflow", ROOT / "config"]
    files = [ROOT / "Snakefile", REPORT]
    for folder in folders:
        files += sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    for p in files:
        try:
            st = p.stat()
        except FileNotFoundError:
            h.update(f"missing {p}".encode())
            continue
        h.update(f"{p.relative_to(ROOT)} {st.st_size} {st.st_mtime_ns}".encode())
    return h.hexdigest()


def do_run(rest: list[str]) -> int:
    lock = lock_run()
    try:
        clear_stale_lock()
        snakemake = [str(BIN / "snakemake")]
        rc = run([*snakemake, *_cores(rest), "--rerun-incomplete", *rest])
        if rc:
            return rc
        if REPORT_STATE.exists() and REPORT_STATE.read_text() == report_state(rest):
            say(f"{REPORT.relative_to(ROOT)} is up to date (no job ran since it was built)")
            return 0
        REPORT_STATE.unlink(missing_ok=True)
        rc = run([*snakemake, "--cores", "1", "--report", str(REPORT.relative_to(ROOT))])
        if rc == 0:
            # The report is built after the workflow's own privacy gate ran: scan it too.
            privacy = "downstream_safety.reliability.privacy"
            rc = run([str(BIN / "python"), "-m", privacy, str(REPORT.relative_to(ROOT))])
        if rc == 0:
            tmp = REPORT_STATE.with_suffix(".tmp")
            tmp.write_text(report_state(rest))
            os.replace(tmp, REPORT_STATE)
        return rc
    finally:
        lock.close()


# The rules' environment names the package by the variable the workflow sets to
# its own checkout (common/jobenv.py): Snakemake copies the file into the working
# directory's .snakemake/conda/, so a relative path would point into a study's
# folder when the workflow runs as a module. pip expands ${VAR} in requirements.
WORKFLOW_VAR = "DOWNSTREAM_SAFETY_WORKFLOW"
CONDA_ENVS = {"environment.yml": ".", "workflow/envs/replication.yaml": "${" + WORKFLOW_VAR + "}"}
PYTHON_RANGE = ">=3.11,<3.14"


def locked_pins(text: str) -> list[str]:
    """``name==version[ ; marker]`` of every package in a uv-generated lock."""
    pins = []
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            pins.append(line.rstrip(" \\"))
    return pins


def conda_env(package_path: str) -> str:
    """A conda environment with the lock's exact pins and this package (editable).

    Without hashes: pip refuses hash-checking mode with an editable requirement.
    The package path is relative to the environment file (environment.yml), or
    the workflow's checkout as the workflow sets it (the rules' file).
    """
    lines = [
        "# Generated from requirements.lock by `python3 repro.py lock`; do not edit.",
        "name: downstream-safety",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f'  - "python{PYTHON_RANGE}"',
        "  - pip",
        "  - pip:",
        *(f'      - "{pin}"' for pin in locked_pins((ROOT / LOCK).read_text())),
        f"      - -e {package_path}",
    ]
    return "\n".join(lines) + "\n"


def do_lock() -> int:
    """Regenerate both locks with uv (universal: Linux, macOS; Python 3.11 to 3.13)
    and the conda environments from the lock."""
    uv = str(ensure_uv())
    compile_ = [uv, "pip", "compile", "--quiet", "--universal", "--python-version", "3.11"]
    locks = [
        ("requirements.txt", LOCK, []),
        # The SLURM lock keeps every package of LOCK at its version.
        ("requirements-slurm.txt", SLURM_LOCK, ["--constraint", LOCK]),
        ("requirements-bootstrap.txt", BOOTSTRAP_LOCK, []),
    ]
    for src, out, extra in locks:
        cmd = [*compile_, "--generate-hashes", *extra, src, "-o", out]
        if subprocess.run(cmd, cwd=ROOT).returncode:
            return 1
    for name, package_path in CONDA_ENVS.items():
        (ROOT / name).write_text(conda_env(package_path))
    say(f"wrote {LOCK}, {SLURM_LOCK}, {BOOTSTRAP_LOCK} and {', '.join(CONDA_ENVS)}; commit them")
    return 0


# Commands that run one of the package's modules in the environment.
DELEGATED = {
    "deidentify": "downstream_safety.reliability.deidentify",
    "aiid-extract": "downstream_safety.incidents.extract",
    "new-study": "downstream_safety.scaffold.new_study",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    check_python()
    action, rest = argv[0], argv[1:]
    if action == "lock":
        return do_lock()
    if action not in {"run", "test", "verify", "snakemake", "slurm", *DELEGATED}:
        print(f"unknown action {action!r}\n{__doc__}", file=sys.stderr)
        return 2
    # held (shared) until the command ends
    env_lock = ensure_env(SLURM_LOCK if action == "slurm" else LOCK)
    try:
        if action == "run":
            return do_run(rest)
        if action == "test":
            lock = lock_run()  # the suite runs the pipeline in this directory too
            try:
                return run([str(BIN / "python"), "-m", "pytest", *rest])
            finally:
                lock.close()
        if action == "new-study":  # the folder is named from where the user stands
            rest = [a if a.startswith("-") else str(Path(a).resolve()) for a in rest]
        if action in DELEGATED:
            return run([str(BIN / "python"), "-m", DELEGATED[action], *rest])
        if action == "slurm":
            profile = ["--profile", str(ROOT / "profiles" / "slurm")]
            return run([str(BIN / "snakemake"), *profile, *rest])
        if action == "verify":
            return run([str(BIN / "python"), "-m", "downstream_safety.paper.verify", *rest])
        return run([str(BIN / "snakemake"), *_cores(rest), *rest])
    finally:
        env_lock.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
