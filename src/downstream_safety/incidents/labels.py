"""Label lists as stored in the CSV files (';'-separated subtheme ids)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

SEP = ";"


def parse(cell: str) -> frozenset[str]:
    """'a;b' -> {'a', 'b'}; the empty cell means no subtheme applies."""
    return frozenset(p for p in str(cell).split(SEP) if p)


def render(labels: Iterable[str], order: list[str]) -> str:
    """Labels in codebook order so that files are byte-stable."""
    chosen = set(labels)
    return SEP.join(s for s in order if s in chosen)


def indicator(sets: Iterable[frozenset[str]], order: list[str]) -> np.ndarray:
    """Incident x label 0/1 matrix (columns in ``order``)."""
    sets = list(sets)
    out = np.zeros((len(sets), len(order)), dtype=int)
    index = {s: j for j, s in enumerate(order)}
    for i, labels in enumerate(sets):
        for lab in labels:
            out[i, index[lab]] = 1
    return out


def indicator_frame(df: pd.DataFrame, order: list[str], column: str = "labels") -> pd.DataFrame:
    """One 0/1 column per subtheme, indexed like ``df``."""
    mat = indicator(df[column].map(parse), order)
    return pd.DataFrame(mat, index=df.index, columns=order)
