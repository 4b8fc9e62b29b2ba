"""Remember successful parse-time validations between runs.

Every Snakemake invocation validates the config and all raw tables before
building the DAG. That is what makes bad input fail before any job starts, but
repeating it on an unchanged repository would make a no-op rerun slow. A check
is therefore skipped when its result was stored under a key made of everything
it could depend on: the check's name and arguments, the bytes of every file
the configuration names (see :func:`config_paths`), of the package's source
code and of any extra paths. Any change re-runs the check.
Failures are never cached.

The stored results are pickles of pandas objects, which another interpreter or
another pandas cannot be trusted to read: the key includes the interpreter's
version and the versions of the libraries the results are made of, and the
folder keeps only the newest entries (:data:`KEEP`), so it cannot grow without
bound. Measured on the 2-core machine: a no-op run spends 0.6 s in these checks
without the cache (design 0.21 s, interviews 0.19 s, recruitment 0.10 s, ...).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

_SOURCE = Path(__file__).resolve().parents[1]


def _hash_tree(h, base: Path) -> None:
    if base.is_file():
        h.update(base.as_posix().encode())
        h.update(base.read_bytes())
        return
    if not base.is_dir():
        h.update(f"missing:{base}".encode())
        return
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            p = Path(dirpath) / name
            h.update(p.relative_to(base).as_posix().encode())
            h.update(p.read_bytes())


# Libraries whose objects a stored result holds (or whose behaviour it depends on).
LIBRARIES = ("numpy", "pandas", "pandera", "pyarrow")
# Entries kept in the folder: a few configurations' worth.
KEEP = 64


@functools.cache
def _source_digest() -> bytes:
    """The package's code, the interpreter and the libraries' versions, read once per
    process: a parse runs several checks, and none of these change while Snakemake
    parses (the data files are hashed every time)."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256()
    _hash_tree(h, _SOURCE)
    h.update(sys.version.encode())
    for lib in LIBRARIES:
        try:
            h.update(f"{lib}=={version(lib)}".encode())
        except PackageNotFoundError:
            h.update(f"{lib} absent".encode())
    return h.digest()


def _prune(folder: Path, keep: int = KEEP) -> None:
    """Drop all but the ``keep`` most recently used entries."""
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for p in entries[keep:]:
        p.unlink(missing_ok=True)


def state_key(check: Callable, args: tuple, kwargs: dict, extra: Iterable[Path] = ()) -> str:
    h = hashlib.sha256()
    h.update(f"{check.__module__}.{check.__qualname__}".encode())
    h.update(repr((args, sorted(kwargs.items()))).encode())
    h.update(_source_digest())
    for base in extra:
        _hash_tree(h, Path(base))
    return h.hexdigest()


def path_values(value, skip: Iterable[str] = ("allow",)) -> Iterator[Path]:
    """Every string of a config value that could be a path, skipping the keys in ``skip``."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            if k not in skip:
                yield from path_values(v, skip)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from path_values(v, skip)
    elif isinstance(value, str) and value and "\n" not in value and len(value) < 4096:
        yield Path(value)


def _exists(p: Path) -> bool:
    try:
        return p.exists()
    except OSError:
        return False


def config_paths(config: Mapping) -> list[Path]:
    """Every input file or folder a config value names (relative to the working
    directory). The privacy allow-list names output files, which are left out."""
    found = {p for p in path_values(config) if _exists(p)}
    # A value such as "." would hash the whole working tree: keep only paths
    # that are not the working directory or one of its ancestors.
    cwd = Path.cwd().resolve()
    keep = [p for p in found if p.resolve() != cwd and p.resolve() not in cwd.parents]
    return sorted(keep)


def cached_check(check: Callable, *args, cache_dir: Path, extra: Iterable[Path] = (), **kwargs):
    """Run ``check`` unless an identical earlier call succeeded; return its result."""
    key = state_key(check, args, kwargs, extra)
    path = Path(cache_dir) / f"{key}.pickle"
    if path.exists():
        try:
            with path.open("rb") as fh:
                result = pickle.load(fh)
            os.utime(path)  # most recently used: kept by _prune
            return result
        except Exception:  # a stale or truncated entry is simply recomputed
            path.unlink(missing_ok=True)
    result = check(*args, **kwargs)
    try:
        payload = pickle.dumps(result)
    except Exception:
        return result
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(payload)
    os.replace(tmp, path)
    _prune(path.parent)
    return result
