"""Shared ending of the reconstructed-data generators: write, or check.

``--check`` is what the tests run: it proves the committed raw files are
exactly what the committed generator writes, without touching them.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np

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


def csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    """A CSV file's bytes as the generators write them (UTF-8, '\\n' line ends)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def annotated_incidents(
    rng: np.random.Generator, labels: list[str], n: int, n_calibration: int, p_label: float
) -> dict[str, bytes]:
    """Two annotators' labels of incidents 1..n and their adjudication: each label
    applies with probability ``p_label``; an annotator adds or drops one label in a
    fifth of the incidents; the first ``n_calibration`` form the calibration round."""
    truth = {i: [lab for lab in labels if rng.random() < p_label] for i in range(1, n + 1)}
    annotations, adjudicated = [], []
    for i in range(1, n + 1):
        rnd = "calibration_1" if i <= n_calibration else "round_1"
        for annotator in ("A", "B"):
            got = list(truth[i])
            if rng.random() < 0.2:
                lab = labels[int(rng.integers(0, len(labels)))]
                got = [x for x in got if x != lab] if lab in got else sorted(
                    got + [lab], key=labels.index)  # fmt: skip
            annotations.append([i, annotator, rnd, ";".join(got)])
        adjudicated.append([i, ";".join(truth[i])])
    return {
        "annotations.csv": csv_bytes(["incident_id", "annotator", "round", "labels"], annotations),
        "adjudicated.csv": csv_bytes(["incident_id", "labels"], adjudicated),
    }
