"""Pin the raw inputs by SHA-256 so a silent edit cannot change the results.

The manifest (``privacy.raw_manifest`` in the config, ``data/raw/MANIFEST.sha256``
for the paper study) uses the ``sha256sum`` format (``<hex>  <path>``, paths
relative to the working directory), so ``sha256sum -c data/raw/MANIFEST.sha256``
checks it without this package. The raw inputs of a run are the files the config
names (folders expanded) and the files the manifest pins. A pinned file whose
bytes differ stops the workflow at parse time; an input that is not pinned (a
newly added survey wave, say, or every input when the config sets no manifest)
is used and reported as unpinned.

    python -m downstream_safety.reliability.manifest --check          # exit 1 on a change
    python -m downstream_safety.reliability.manifest --update         # re-pin the manifest's folder
    python -m downstream_safety.reliability.manifest --update PATH..  # re-pin these files only
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from downstream_safety.common.errors import InputError
from downstream_safety.common.parsecache import path_values
from downstream_safety.common.tableio import atomic_write_text
from downstream_safety.paths import no_study_config, study_config

DEFAULT_MANIFEST = "data/raw/MANIFEST.sha256"
UPDATE_COMMAND = "python -m downstream_safety.reliability.manifest --update"
# Files that never carry data: editor and OS droppings and Python caches.
_IGNORED_NAMES = {".DS_Store", "Thumbs.db"}
_IGNORED_DIRS = {"__pycache__", ".ipynb_checkpoints"}
# Config values that name no raw input of the analysis: the privacy settings
# (the manifest itself, the deny-list, output globs) and the AIID snapshot,
# which is read from outside the study's folder and never pinned.
_NOT_INPUTS = {"privacy", "aiid_snapshot"}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def files_under(folder: Path) -> list[str]:
    """Every data file under ``folder`` (droppings and caches left out), sorted."""
    found = []
    for p in Path(folder).rglob("*"):
        if not p.is_file() or p.name in _IGNORED_NAMES:
            continue
        if any(part in _IGNORED_DIRS for part in p.relative_to(folder).parts):
            continue
        found.append(p.as_posix())
    return sorted(found)


def named_inputs(config: Mapping) -> list[str]:
    """The raw input files the config names (a named folder: every file in it),
    as sorted paths relative to the working directory."""
    cwd = Path.cwd().resolve()
    found: set[str] = set()
    for p in path_values(config, skip=_NOT_INPUTS | {"allow"}):
        try:
            if p.is_file():
                found.add(p.as_posix())
            elif p.is_dir() and p.resolve() not in [cwd, *cwd.parents]:
                found.update(files_under(p))
        except OSError:
            pass
    return sorted(found)


def read_manifest(manifest: Path | str | None) -> dict[str, str]:
    """Pinned path -> hex digest; a malformed line is an InputError naming the line."""
    if manifest is None or not Path(manifest).exists():
        return {}
    path = Path(manifest)
    pins: dict[str, str] = {}
    bad: list[int] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        name = name.removeprefix("*")
        if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            bad.append(number)
            continue
        if name in pins:
            bad.append(number)
            continue
        pins[name] = digest
    if bad:
        raise InputError(
            path.as_posix(),
            "malformed or duplicated manifest line(s); expected '<64 hex digits>  <path>'",
            rows=bad,
            fix=f"regenerate it with `{UPDATE_COMMAND}` after checking the raw files",
        )
    return pins


def render_manifest(pins: dict[str, str]) -> str:
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(pins.items()))


@dataclass
class ManifestStatus:
    """Outcome of comparing the raw inputs with the manifest."""

    pinned: dict[str, str] = field(default_factory=dict)
    actual: dict[str, str] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unpinned: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.changed and not self.missing

    def rows(self) -> list[tuple[str, str, str]]:
        """(path, sha256, status) for every file present or pinned, sorted by path."""
        out = []
        for name in sorted(set(self.actual) | set(self.pinned)):
            if name in self.missing:
                out.append((name, self.pinned[name], "missing"))
            elif name in self.changed:
                out.append((name, self.actual[name], "changed"))
            elif name in self.unpinned:
                out.append((name, self.actual[name], "unpinned"))
            else:
                out.append((name, self.actual[name], "pinned"))
        return out


def check(manifest: Path | str | None, named: list[str]) -> ManifestStatus:
    """Compare the inputs (``named`` plus every pinned file) with the manifest."""
    pins = read_manifest(manifest)
    present = sorted(n for n in set(named) | set(pins) if Path(n).is_file())
    actual = {name: sha256_file(Path(name)) for name in present}
    return ManifestStatus(
        pinned=pins,
        actual=actual,
        changed=sorted(n for n in pins if n in actual and actual[n] != pins[n]),
        missing=sorted(n for n in pins if n not in actual),
        unpinned=sorted(n for n in actual if n not in pins),
    )


def require_pinned_unchanged(manifest: Path | str | None, named: list[str]) -> ManifestStatus:
    """Raise an InputError naming each pinned file that changed or disappeared."""
    status = check(manifest, named)
    if status.ok:
        return status
    names = status.changed + status.missing
    what = []
    if status.changed:
        what.append(f"changed: {', '.join(status.changed)}")
    if status.missing:
        what.append(f"missing: {', '.join(status.missing)}")
    raise InputError(
        names[0] if len(names) == 1 else f"{len(names)} pinned raw files",
        f"pinned raw input(s) differ from {manifest} ({'; '.join(what)})",
        values=names,
        fix=(
            "restore the shipped file(s) (e.g. `git checkout -- <file>`), or, if the change "
            f"is intended, re-pin them with `{UPDATE_COMMAND} <file> ...` and commit the manifest"
        ),
    )


def update(manifest: Path | str, paths: list[str] | None = None) -> dict[str, str]:
    """Re-pin every file of the manifest's folder (``paths`` empty) or only the
    given files and folders (inside that folder)."""
    manifest = Path(manifest)
    folder = manifest.parent
    present = [n for n in files_under(folder) if Path(n) != manifest]
    if not paths:
        pins = {name: sha256_file(Path(name)) for name in present}
    else:
        pins = read_manifest(manifest)
        raw_root = folder.resolve()
        cwd = Path.cwd().resolve()
        for given in paths:
            target = Path(given).resolve()
            if target != raw_root and raw_root not in target.parents:
                raise InputError(
                    given,
                    f"only files under {folder.as_posix()}/ can be pinned",
                    fix=f"pass a path inside {folder.as_posix()}/",
                )
            prefix = target.relative_to(cwd).as_posix()
            chosen = [n for n in present if n == prefix or n.startswith(prefix.rstrip("/") + "/")]
            for name in [n for n in pins if n == prefix or n.startswith(prefix + "/")]:
                if name not in present:
                    del pins[name]  # a deleted file is un-pinned when its path is given
            if not chosen and not target.exists():
                raise InputError(given, "no such file or folder", fix="check the path")
            for name in chosen:
                pins[name] = sha256_file(Path(name))
    atomic_write_text(manifest, render_manifest(pins))
    return pins


def _config(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Pin (--update) or verify (--check) the raw inputs (run in the study folder)."
    )
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="exit 1 if a pinned file changed")
    mode.add_argument("--update", action="store_true", help="rewrite the manifest")
    ap.add_argument("paths", nargs="*", help="with --update: only re-pin these files or folders")
    ap.add_argument(
        "--config",
        type=Path,
        default=None,
        help="the study's config (default: config.yaml, else config/config.yaml)",
    )
    args = ap.parse_args(argv)
    found = study_config(args.config)
    if found is None:
        print(no_study_config(args.config), file=sys.stderr)
        return 1
    args.config = found
    config = _config(args.config)
    manifest = (config.get("privacy") or {}).get("raw_manifest", DEFAULT_MANIFEST)
    if manifest is None:
        print(f"{args.config} sets privacy.raw_manifest to null: nothing is pinned")
        return 0
    try:
        if args.update:
            pins = update(manifest, args.paths)
            print(f"pinned {len(pins)} file(s) in {manifest}")
            return 0
        if args.paths:
            ap.error("paths are only accepted with --update")
        status = require_pinned_unchanged(manifest, named_inputs(config))
    except InputError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"{len(status.pinned)} pinned file(s) unchanged")
    for name in status.unpinned:
        print(f"unpinned (used, not covered by the manifest): {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
