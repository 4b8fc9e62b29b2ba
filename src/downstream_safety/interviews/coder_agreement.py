"""Inter-coder agreement of double-coded interviews.

Two measures a qualitative team reports:

- NVivo's coding comparison (QSR, "Coding comparison query", NVivo 12 help): for
  one code and one source, every character of the source is coded by both coders,
  by neither, or by one; the percentage agreement is the share coded alike and
  Cohen's kappa is computed over the characters. Complete agreement gives kappa 1,
  also where neither coder used the code (NVivo's convention; the formula is 0/0
  there). Pooled over sources, the character tables are summed, so each source
  weighs by its length, as NVivo's guide to averaging across sources advises.
- Krippendorff's alpha (nominal) over the participant x subtheme presence matrix:
  does each coder's coding say that the participant mentioned the subtheme?

Kappa comes from scikit-learn and alpha from the ``krippendorff`` package, the
implementations the incident stage uses as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations

import numpy as np
import pandas as pd

POOLED = "(all sources)"

COLUMNS = [
    "unit",
    "source",
    "coder_a",
    "coder_b",
    "n_chars",
    "both",
    "neither",
    "only_a",
    "only_b",
    "pct_agreement",
    "kappa",
]


def _kappa(both: int, neither: int, only_a: int, only_b: int) -> float:
    """Cohen's kappa of a 2x2 character table (scikit-learn, NVivo's value at 0/0)."""
    from sklearn.metrics import cohen_kappa_score

    if only_a == 0 and only_b == 0:
        return 1.0  # complete agreement, whether or not anything was coded
    # The table as weighted observations: scikit-learn takes sample weights, so the
    # characters need not be materialised one by one.
    a = np.array([1, 0, 1, 0])
    b = np.array([1, 0, 0, 1])
    weights = np.array([both, neither, only_a, only_b], dtype=float)
    return float(cohen_kappa_score(a, b, labels=[0, 1], sample_weight=weights))


def _mask(length: int, spans: pd.DataFrame) -> np.ndarray:
    mask = np.zeros(length, dtype=bool)
    for start, end in zip(spans["start"], spans["end"], strict=True):
        mask[int(start) : int(end)] = True
    return mask


def _row(unit, source, coder_a, coder_b, both, neither, only_a, only_b) -> dict:
    n = both + neither + only_a + only_b
    return {
        "unit": unit,
        "source": source,
        "coder_a": coder_a,
        "coder_b": coder_b,
        "n_chars": n,
        "both": both,
        "neither": neither,
        "only_a": only_a,
        "only_b": only_b,
        "pct_agreement": 100.0 * (both + neither) / n if n else float("nan"),
        "kappa": _kappa(both, neither, only_a, only_b) if n else float("nan"),
    }


def character_agreement(codings: pd.DataFrame, lengths: Mapping[str, int]) -> pd.DataFrame:
    """Agreement per unit (code or subtheme), source and pair of coders, and pooled.

    ``codings`` has columns ``unit, source, coder, start, end`` (character offsets,
    end exclusive); ``lengths`` gives each source's length in characters. Only
    sources coded by at least two coders count, and every unit any coder used in
    such a source is compared there (a unit one coder never used is all "neither"
    for them).
    """
    rows = []
    coders_of = codings.groupby("source")["coder"].unique()
    shared = sorted(s for s, cs in coders_of.items() if len(cs) >= 2)
    units = sorted(codings["unit"].unique())
    for coder_a, coder_b in combinations(sorted(codings["coder"].unique()), 2):
        pooled = {u: [0, 0, 0, 0] for u in units}
        for source in shared:
            if not {coder_a, coder_b} <= set(coders_of[source]):
                continue
            here = codings[codings["source"] == source]
            for unit in units:
                sel = here[here["unit"] == unit]
                a = _mask(lengths[source], sel[sel["coder"] == coder_a])
                b = _mask(lengths[source], sel[sel["coder"] == coder_b])
                cells = [
                    int((a & b).sum()),
                    int((~a & ~b).sum()),
                    int((a & ~b).sum()),
                    int((~a & b).sum()),
                ]
                pooled[unit] = [x + y for x, y in zip(pooled[unit], cells, strict=True)]
                rows.append(_row(unit, source, coder_a, coder_b, *cells))
        for unit in units:
            if sum(pooled[unit]):
                rows.append(_row(unit, POOLED, coder_a, coder_b, *pooled[unit]))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["coder_a", "coder_b", "unit", "source"], kind="stable").reset_index(
        drop=True
    )


def presence_alpha(presence: pd.DataFrame) -> float:
    """Krippendorff's alpha (nominal) over participant x subtheme presence.

    ``presence`` has columns ``coder, participant_id, subtheme_id, present``
    (0/1); a coder who coded a participant but never the subtheme has 0 there,
    a participant a coder did not code is missing for that coder.
    """
    import krippendorff

    matrix = presence.pivot_table(
        index="coder",
        columns=["participant_id", "subtheme_id"],
        values="present",
        aggfunc="max",
    ).sort_index()
    data = matrix.to_numpy(dtype=float)
    if data.shape[0] < 2 or np.unique(data[~np.isnan(data)]).size < 2:
        # alpha is undefined when only one value occurs (no variation to agree on)
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


# --- the stage's agreement table --------------------------------------------

ALL_SUBTHEMES = "(participant x subtheme)"
ALL_PARTICIPANTS = "(all participants)"
ALL_CODERS = "(all coders)"
LEVELS = ("code", "subtheme", "presence")
TABLE_COLUMNS = [
    "level",
    *COLUMNS,
    "alpha",
    "kappa_threshold",
    "meets_threshold",
]


def presence(segments: pd.DataFrame, codings: pd.DataFrame, subthemes: list[str]) -> pd.DataFrame:
    """Each coder's participant x subtheme presence (0/1) over the participants they coded.

    ``segments`` has ``segment_id, participant_id, subtheme_id``; ``codings`` has
    ``segment_id, coder``. A participant is coded by a coder who coded any of their
    key points; a participant a coder never coded is left out for that coder (missing).
    """
    seg = segments.merge(codings[["segment_id", "coder"]], on="segment_id", validate="1:1")
    rows = []
    for coder, mine in seg.groupby("coder", sort=True):
        said = set(zip(mine["participant_id"], mine["subtheme_id"], strict=True))
        for pid in sorted(mine["participant_id"].unique()):
            rows += [(coder, pid, s, int((pid, s) in said)) for s in subthemes]
    return pd.DataFrame(rows, columns=["coder", "participant_id", "subtheme_id", "present"])


def agreement_table(
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    lengths: Mapping[str, int],
    subthemes: list[str],
    kappa_threshold: float | None = None,
) -> pd.DataFrame:
    """Kappa per code and per subtheme (per source and pooled) and the presence alpha.

    ``codings`` (``segment_id, coder`` and, when the key points have offsets into
    their transcripts, ``source, start, end``) says who coded each of ``segments``.
    Without offsets (the CSV form) only the presence alpha is computed. With a
    threshold, the pooled kappa rows say whether kappa reaches it.
    """
    parts = []
    if {"source", "start", "end"} <= set(codings.columns):
        spans = codings.merge(
            segments[["segment_id", "code_id", "subtheme_id"]], on="segment_id", validate="1:1"
        )
        for level, column in (("code", "code_id"), ("subtheme", "subtheme_id")):
            chars = character_agreement(
                spans.rename(columns={column: "unit"})[["unit", "source", "coder", "start", "end"]],
                lengths,
            )
            parts.append(chars.assign(level=level))
    alpha = presence_alpha(presence(segments, codings, subthemes))
    parts.append(
        pd.DataFrame(
            [
                {
                    "level": "presence",
                    "unit": ALL_SUBTHEMES,
                    "source": ALL_PARTICIPANTS,
                    "coder_a": ALL_CODERS,
                    "coder_b": ALL_CODERS,
                    "alpha": alpha,
                }
            ]
        )
    )
    table = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    table = table.reindex(columns=TABLE_COLUMNS)
    pooled = table["source"] == POOLED
    table["kappa_threshold"] = float("nan")
    table["meets_threshold"] = pd.array([pd.NA] * len(table), dtype="boolean")
    if kappa_threshold is not None:
        table.loc[pooled, "kappa_threshold"] = float(kappa_threshold)
        table.loc[pooled, "meets_threshold"] = table.loc[pooled, "kappa"] >= kappa_threshold
    table["level"] = pd.Categorical(table["level"], categories=list(LEVELS), ordered=True)
    table = table.sort_values(["level", "coder_a", "coder_b", "unit", "source"], kind="stable")
    table["level"] = table["level"].astype(str)
    return table.reset_index(drop=True)
