"""Per-draw random streams and chunk boundaries.

Every resample and every random order gets its own generator, derived from the
config seed, a stream number and the draw's index (``numpy.random.SeedSequence``
spawn keys). A draw's numbers therefore do not depend on which chunk, job,
core or executor computes it, so gathered results are byte-identical for any
chunk count.
"""

from __future__ import annotations

import numpy as np

# One stream per kind of draw, so that the same index never reuses numbers
# across kinds.
RESPONDENTS = 0
INCIDENTS = 1
ORDERS = 2
PERMUTATION = 3
ROUND_INCIDENTS = 4


def generator(seed: int, stream: int, *index: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream, *index)))


def resample_indices(seed: int, stream: int, n: int, draws: range, *key: int) -> np.ndarray:
    """Row indices (len(draws) x n) of bootstrap resamples ``draws`` of n units."""
    out = np.empty((len(draws), n), dtype=np.int64)
    for row, i in enumerate(draws):
        out[row] = generator(seed, stream, *key, i).integers(0, n, n)
    return out


def chunk_range(n: int, n_chunks: int, chunk: int) -> range:
    """The ``chunk``-th (0-based) of ``n_chunks`` near-equal contiguous slices of range(n)."""
    if not 0 <= chunk < n_chunks:
        raise ValueError(f"chunk {chunk} outside 0..{n_chunks - 1}: a bug in the package")
    return range(n * chunk // n_chunks, n * (chunk + 1) // n_chunks)
