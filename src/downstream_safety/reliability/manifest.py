"""Pin the shipped raw inputs by SHA-256 so a silent edit cannot change the results.

``data/raw/MANIFEST.sha256`` uses the ``sha256sum`` format (``<hex>  <path>``, paths
relative to the repository root), so ``sha256sum -c data/raw/MANIFEST.sha256`` run
from the root checks it without this package. A pinned file whose bytes differ
stops the workflow at parse time; a file that is not pinned (a newly added survey
wave, say) is used and reported as unpinned.

    python -m downstream_safety.reliability.manifest --check          # exit 1 on a change
    python -m downstream_safety.reliability.manifest --update         # re-pin all of data/raw/
    python -m downstream_safety.reliability.manifest --update PATH..  # re-pin these files only
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import atomic_write_text
from downstream_safety.paths import ROOT

MANIFEST_NAME = "MANIFEST.sha256"
UPDATE_COMMAND = "python -m downstream_safety.reliability.manifest --update"
# Files that never carry data: editor and OS droppings and Python caches.
_IGNORED_NAMES = {".DS_Store", "Thumbs.db"}
_IGNORED_DIRS = {"__pycache__", ".ipynb_checkpoints"}


def manifest_path(root: Path = ROOT) -> Path:
    return root / "data" / "raw" / MANIFEST_NAME


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def raw_files(root: Path = ROOT) -> list[str]:
    """Every file under data/raw/ except the manifest itself, as sorted root-relative paths."""
    raw = root / "data" / "raw"
    found = []
    for p in raw.rglob("*"):
        if not p.is_file() or p.name in _IGNORED_NAMES:
            continue
        if any(part in _IGNORED_DIRS for part in p.relative_to(raw).parts):
            continue
        relp = p.relative_to(root).as_posix()
        if relp == f"data/raw/{MANIFEST_NAME}":
            continue
        found.append(relp)
    return sorted(found)


def read_manifest(root: Path = ROOT) -> dict[str, str]:
    """Pinned path -> hex digest; a malformed line is an InputError naming the line."""
    path = manifest_path(root)
    if not path.exists():
        return {}
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
            f"data/raw/{MANIFEST_NAME}",
            "malformed or duplicated manifest line(s); expected '<64 hex digits>  <path>'",
            rows=bad,
            fix=f"regenerate it with `{UPDATE_COMMAND}` after checking the raw files",
        )
    return pins


def render_manifest(pins: dict[str, str]) -> str:
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(pins.items()))


@dataclass
class ManifestStatus:
    """Outcome of comparing data/raw/ with the manifest."""

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


def check(root: Path = ROOT) -> ManifestStatus:
    pins = read_manifest(root)
    actual = {name: sha256_file(root / name) for name in raw_files(root)}
    return ManifestStatus(
        pinned=pins,
        actual=actual,
        changed=sorted(n for n in pins if n in actual and actual[n] != pins[n]),
        missing=sorted(n for n in pins if n not in actual),
        unpinned=sorted(n for n in actual if n not in pins),
    )


def require_pinned_unchanged(root: Path = ROOT) -> ManifestStatus:
    """Raise an InputError naming each pinned file that changed or disappeared."""
    status = check(root)
    if status.ok:
        return status
    names = status.changed + status.missing
    what = []
    if status.changed:
        what.append(f"changed: {', '.join(status.changed)}")
    if status.missing:
        what.append(f"missing: {', '.join(status.missing)}")
    raise InputError(
        names[0] if len(names) == 1 else f"data/raw/ ({len(names)} pinned files)",
        f"pinned raw input(s) differ from data/raw/{MANIFEST_NAME} ({'; '.join(what)})",
        values=names,
        fix=(
            "restore the shipped file(s) (e.g. `git checkout -- <file>`), or, if the change "
            f"is intended, re-pin them with `{UPDATE_COMMAND} <file> ...` and commit the manifest"
        ),
    )


def update(root: Path = ROOT, paths: list[str] | None = None) -> dict[str, str]:
    """Re-pin all of data/raw/ (``paths`` empty) or only the given files and folders."""
    present = raw_files(root)
    if not paths:
        pins = {name: sha256_file(root / name) for name in present}
    else:
        pins = read_manifest(root)
        raw_root = (root / "data" / "raw").resolve()
        for given in paths:
            # Paths are taken from the repository root, or from the current folder.
            target = Path(given) if Path(given).is_absolute() else root / given
            if not target.exists() and Path(given).exists():
                target = Path(given)
            target = target.resolve()
            if target != raw_root and raw_root not in target.parents:
                raise InputError(
                    given,
                    "only files under data/raw/ can be pinned",
                    fix="pass a path inside data/raw/",
                )
            prefix = target.relative_to(root.resolve()).as_posix()
            chosen = [n for n in present if n == prefix or n.startswith(prefix.rstrip("/") + "/")]
            for name in [n for n in pins if n == prefix or n.startswith(prefix + "/")]:
                if name not in present:
                    del pins[name]  # a deleted file is un-pinned when its path is given
            if not chosen and not target.exists():
                raise InputError(given, "no such file or folder", fix="check the path")
            for name in chosen:
                pins[name] = sha256_file(root / name)
    atomic_write_text(manifest_path(root), render_manifest(pins))
    return pins


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Pin (--update) or verify (--check) the files under data/raw/."
    )
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="exit 1 if a pinned file changed")
    mode.add_argument("--update", action="store_true", help="rewrite the manifest")
    ap.add_argument("paths", nargs="*", help="with --update: only re-pin these files or folders")
    ap.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this one)")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    try:
        if args.update:
            pins = update(root, args.paths)
            print(f"pinned {len(pins)} file(s) in data/raw/{MANIFEST_NAME}")
            return 0
        if args.paths:
            ap.error("paths are only accepted with --update")
        status = require_pinned_unchanged(root)
    except InputError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"{len(status.pinned)} pinned file(s) unchanged")
    for name in status.unpinned:
        print(f"unpinned (used, not covered by the manifest): {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
