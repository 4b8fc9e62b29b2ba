"""Bit-for-bit check: rebuild everything from scratch in an outside folder and compare hashes.

``paper/MANIFEST.sha256`` (committed, ``sha256sum`` format) lists the SHA-256
of every generated artefact: processed data, tables, figures, numbers, the
claims audit. Generated means "ignored by git" (the repository ignores exactly
its outputs) under ``data/`` and ``paper/``, plus the known output locations;
executed notebooks, the HTML report, the PDF and LaTeX by-products are left out
(they embed run-specific details). Usage::

    python -m downstream_safety.paper.verify            # rebuild from scratch, compare
    python -m downstream_safety.paper.verify --current  # compare the current outputs only
    python -m downstream_safety.paper.verify --update   # rewrite the manifest from them

Arguments after ``--`` go to Snakemake (e.g. ``-- --config 'incidents={...}'``; a
path in them must be absolute, since the rebuild runs in another directory).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MANIFEST = "paper/MANIFEST.sha256"
ROOTS = ("data/", "paper/")
# Never copied into the rebuild and never hashed.
SKIP_DIRS = {".git", ".venv", ".snakemake", "__pycache__", ".pytest_cache", ".ruff_cache"}
SKIP_DIRS |= {".hypothesis", "logs", ".venv-tools"}
EXCLUDED = (
    "notebooks/executed/",
    "paper/report.html",
    "paper/main.pdf",
    "paper/MANIFEST.sha256",
)
LATEX_BYPRODUCTS = (".aux", ".log", ".fls", ".fdb_latexmk", ".out", ".synctex.gz", ".toc")
# Known output locations (also what counts without git, e.g. in an unpacked archive).
FALLBACK_GENERATED = (
    "data/processed/",
    "paper/tables/",
    "paper/figures/",
    "paper/numbers.tex",
    "paper/numbers.json",
    "paper/claims.csv",
    "paper/audit.csv",
    "data/processed/paper/summary.html",
)


def _excluded(rel: str) -> bool:
    parts = rel.split("/")
    if any(p in SKIP_DIRS or p.endswith(".egg-info") for p in parts):
        return True
    if rel.startswith(EXCLUDED) or rel.endswith(LATEX_BYPRODUCTS):
        return True
    return rel.startswith("paper/") and rel.endswith(".pdf") and "/" not in rel[len("paper/") :]


def is_run_specific(rel: str) -> bool:
    """Outputs left out of the comparison: they embed details of one run (the HTML
    report, the PDF and LaTeX by-products, executed notebooks) or are optional."""
    return _excluded(rel)


def ignored_entries(root: Path) -> list[str] | None:
    """Git-ignored paths (directories end with '/'), or None without git."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--directory"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted(line for line in out.splitlines() if line)


def _walk(root: Path) -> list[str]:
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in filenames:
            files.append((Path(dirpath) / name).relative_to(root).as_posix())
    return sorted(files)


def generated_files(root: Path | None = None) -> list[str]:
    """Repository-relative paths of the generated artefacts that are hashed."""
    root = Path.cwd() if root is None else root
    # Git-ignored paths, plus the known output locations in case one is not ignored.
    entries = ignored_entries(root) or []
    prefixes = tuple(entries) + FALLBACK_GENERATED
    return [
        f
        for f in _walk(root)
        if f.startswith(ROOTS) and f.startswith(prefixes) and not _excluded(f)
    ]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def hashes(root: Path, files: list[str]) -> dict[str, str]:
    return {f: sha256(root / f) for f in files}


def format_manifest(h: dict[str, str]) -> str:
    return "".join(f"{digest}  {path}\n" for path, digest in sorted(h.items()))


def read_manifest(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            out[name.lstrip("*")] = digest
    return out


def compare(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """Human-readable differences (empty when identical)."""
    problems = []
    for f in sorted(set(expected) | set(actual)):
        if f not in actual:
            problems.append(f"missing (in the manifest, not produced): {f}")
        elif f not in expected:
            problems.append(f"new (produced, not in the manifest): {f}")
        elif expected[f] != actual[f]:
            problems.append(f"differs: {f}")
    return problems


def copy_sources(root: Path, dest: Path) -> None:
    """Copy the repository without its generated outputs, caches and environment."""
    generated = set(generated_files(root))
    for f in _walk(root):
        if f in generated or _excluded(f) or f.startswith("notebooks/executed/"):
            continue
        target = dest / f
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / f, target)


# What a study is, apart from the workflow: its configuration, raw data and
# manuscript (paper/main.tex and its preamble; without them the workflow's
# template is used).
STUDY_DIRS = ("config", "data/raw")
MANUSCRIPT_SUFFIXES = (".tex", ".sty", ".bib", ".cls")
MODULE_SNAKEFILE = """\
configfile: "config/config.yaml"


module replication:
    snakefile:
        {snakefile!r}
    config:
        config


use rule * from replication
"""


def copy_study(root: Path, dest: Path) -> None:
    """Copy only the study (config, raw data, manuscript) into an outside folder
    that imports this checkout's workflow as a Snakemake module: the rebuild
    then also proves that the module form gives the same bytes."""
    for d in STUDY_DIRS:
        shutil.copytree(root / d, dest / d, ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "paper").mkdir(parents=True, exist_ok=True)
    for f in sorted((root / "paper").iterdir()):
        if f.is_file() and f.suffix in MANUSCRIPT_SUFFIXES:
            shutil.copy2(f, dest / "paper" / f.name)
    snakefile = (root / "Snakefile").resolve()
    (dest / "Snakefile").write_text(MODULE_SNAKEFILE.format(snakefile=str(snakefile)))


def rebuild(
    root: Path, work: Path, cores: int, extra: list[str] | None = None
) -> subprocess.CompletedProcess:
    """Run Snakemake directly, as a module user would, in an environment holding
    only PATH, HOME and TMPDIR: no hash seed, style or epoch from a harness, so
    the comparison also proves that the workflow sets what its bytes need."""
    bin_dir = Path(sys.executable).parent
    env = {k: os.environ[k] for k in ("HOME", "TMPDIR") if k in os.environ}
    env["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"
    return subprocess.run(
        [str(bin_dir / "snakemake"), "--cores", str(cores), *(extra or [])],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true", help="rewrite the manifest")
    mode.add_argument("--current", action="store_true", help="compare current outputs only")
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy")
    ap.add_argument("--root", type=Path, default=Path.cwd(), help=argparse.SUPPRESS)
    ap.add_argument("snakemake_args", nargs="*", help="passed to Snakemake (after --)")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    manifest = root / MANIFEST
    if args.update:
        h = hashes(root, generated_files(root))
        manifest.write_text(format_manifest(h), encoding="utf-8")
        print(f"wrote {MANIFEST}: {len(h)} files")
        return 0
    if not manifest.exists():
        print(f"{MANIFEST} does not exist; create it with --update", file=sys.stderr)
        return 1
    expected = read_manifest(manifest)
    if args.current:
        actual = hashes(root, generated_files(root))
    else:
        tmp = Path(tempfile.mkdtemp(prefix="downstream-safety-verify-"))
        work = tmp / "study"
        copy_study(root, work)
        print(f"rebuilding from scratch in {work} (the workflow as a module) ...", flush=True)
        run = rebuild(root, work, args.cores, args.snakemake_args)
        if run.returncode != 0:
            print(run.stdout[-4000:], run.stderr[-4000:], sep="\n", file=sys.stderr)
            print("the rebuild failed", file=sys.stderr)
            return 1
        copied = set(_walk(root)) - set(generated_files(root))
        produced = [f for f in _walk(work) if f.startswith(ROOTS) and f not in copied]
        actual = hashes(work, [f for f in produced if not _excluded(f)])
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    problems = compare(expected, actual)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} file(s) differ from {MANIFEST}", file=sys.stderr)
        return 1
    print(f"all {len(expected)} files match {MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
