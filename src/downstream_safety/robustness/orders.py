"""Saturation over random interview orders: is the saturation point a
property of the data or of the order in which the interviews happened?"""

from __future__ import annotations

import pandas as pd

from downstream_safety.robustness import seeds
from downstream_safety.robustness.multiverse import saturation_points

COLUMNS = ["rq", "method", "saturation_interview", "n_orders", "share"]


def order_points(
    interviews: dict[str, list[set]], methods: list[str], params: dict, seed: int, draws: range
) -> pd.DataFrame:
    """Saturation point per random order (one permutation shared by every RQ)."""
    n = len(next(iter(interviews.values())))
    rows = []
    for i in draws:
        perm = seeds.generator(seed, seeds.ORDERS, i).permutation(n)
        for rq, sets in interviews.items():
            shuffled = [sets[k] for k in perm]
            for method in methods:
                point = saturation_points(shuffled, method, params)
                rows.append({"order": i, "rq": rq, "method": method, "saturation_interview": point})
    out = pd.DataFrame(rows, columns=["order", "rq", "method", "saturation_interview"])
    out["saturation_interview"] = out["saturation_interview"].astype("Int64")
    return out


def distribution(points: pd.DataFrame, n_orders: int) -> pd.DataFrame:
    """Share of orders per saturation point; an empty point means never reached."""
    if points["order"].nunique() != n_orders:
        got = points["order"].nunique()
        raise ValueError(f"{got} orders gathered, {n_orders} expected: a bug in the package")
    counts = (
        points.groupby(["rq", "method", "saturation_interview"], dropna=False)
        .size()
        .reset_index(name="count")
        .sort_values(["rq", "method", "saturation_interview"], na_position="last")
    )
    counts["n_orders"] = n_orders
    counts["share"] = counts["count"] / n_orders
    return counts[COLUMNS].reset_index(drop=True)


def interview_sets(segments: pd.DataFrame, order: list[str], rqs: list[str]) -> dict[str, list]:
    """rq -> the subthemes each interview raised, in the interviews' real order."""
    out = {}
    for rq in rqs:
        by = segments[segments["rq"] == rq].groupby("participant_id")["subtheme_id"].apply(set)
        out[rq] = [by.get(p, set()) for p in order]
    return out
