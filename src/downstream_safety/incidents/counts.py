"""Subtheme frequencies and co-occurrences over the adjudicated incidents."""

from __future__ import annotations

import itertools

import pandas as pd

from downstream_safety.incidents.labels import indicator_frame


def subtheme_counts(adjudicated: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Incidents per subtheme; pct is of all annotated incidents (labelled or not)."""
    ind = indicator_frame(adjudicated, labels)
    n = len(adjudicated)
    counts = ind.sum(axis=0)
    return pd.DataFrame(
        {
            "subtheme_id": labels,
            "n_incidents": [int(counts[s]) for s in labels],
            "pct": [100.0 * counts[s] / n if n else 0.0 for s in labels],
        }
    )


def cooccurrence(adjudicated: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Every unordered pair of distinct subthemes (codebook order within a pair)."""
    ind = indicator_frame(adjudicated, labels)
    rows = [
        {"subtheme_a": a, "subtheme_b": b, "n_incidents": int((ind[a] & ind[b]).sum())}
        for a, b in itertools.combinations(labels, 2)
    ]
    return pd.DataFrame(rows)
