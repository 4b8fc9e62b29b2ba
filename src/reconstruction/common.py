"""Shared ending of the reconstructed-data generators: write, or check.

``--check`` is what the tests run: it proves the committed raw files are
exactly what the committed generator writes, without touching them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from downstream_safety.common.tableio import atomic_write_bytes
from downstream_safety.paths import rel


def write_or_check(outputs: dict[Path, bytes], *, check: bool, module: str) -> int:
    if check:
        stale = [p for p, data in outputs.items() if not p.exists() or p.read_bytes() != data]
        for p in stale:
            print(f"differs from the generator (run python -m {module}): {rel(p)}", file=sys.stderr)
        if not stale:
            print(f"{len(outputs)} file(s) up to date")
        return 1 if stale else 0
    for p, data in outputs.items():
        atomic_write_bytes(p, data)
        print(f"wrote {rel(p)}")
    return 0
