"""Thematic saturation by two published methods.

Hand-written because no maintained Python library implements either procedure;
both are a few set operations over interviews in the order they were held.

* Guest, Bunce & Johnson (2006): cumulative distinct items after each batch of
  interviews as a share of the final set; saturation is the last interview of
  the first batch whose cumulative share reaches ``coverage``.
* Guest, Namey & Chen (2020): the items of the first ``base_size`` interviews
  are the denominator; a run of ``run_length`` interviews starting after the
  base (advancing by ``step``) adds new items; saturation is the last interview
  of the first run whose new items / base items is at most ``threshold``.
"""

from __future__ import annotations

import math

import pandas as pd


def _sets(items: pd.DataFrame, order: list[str], column: str) -> list[set]:
    by = items.groupby("participant_id")[column].apply(set).to_dict()
    return [by.get(p, set()) for p in order]


def curve(items: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Per interview: new and cumulative subthemes and codes (one RQ)."""
    subs = _sets(items, order, "subtheme_id")
    codes = _sets(items, order, "code_id")
    final_s = len(set().union(*subs)) if subs else 0
    final_c = len(set().union(*codes)) if codes else 0
    rows = []
    seen_s: set = set()
    seen_c: set = set()
    for i, pid in enumerate(order, start=1):
        new_s = subs[i - 1] - seen_s
        new_c = codes[i - 1] - seen_c
        seen_s |= new_s
        seen_c |= new_c
        rows.append(
            {
                "interview_order": i,
                "participant_id": pid,
                "new_subthemes": len(new_s),
                "cumulative_subthemes": len(seen_s),
                "pct_subthemes": 100.0 * len(seen_s) / final_s if final_s else 0.0,
                "new_codes": len(new_c),
                "cumulative_codes": len(seen_c),
                "pct_codes": 100.0 * len(seen_c) / final_c if final_c else 0.0,
            }
        )
    return pd.DataFrame(rows)


def guest2006(per_interview: list[set], batch_size: int = 1, coverage: float = 1.0) -> int | None:
    """Last interview of the first batch at which the cumulative set reaches ``coverage``."""
    final = set().union(*per_interview) if per_interview else set()
    if not final:
        return None
    need = math.ceil(coverage * len(final) - 1e-9)
    seen: set = set()
    n = len(per_interview)
    for first in range(0, n, batch_size):
        end = min(first + batch_size, n)
        for items in per_interview[first:end]:
            seen |= items
        if len(seen) >= need:
            return end
    return None


def guest2020(
    per_interview: list[set],
    base_size: int = 4,
    run_length: int = 2,
    threshold: float = 0.05,
    step: int = 1,
) -> int | None:
    """Last interview of the first run whose new-information ratio is ``<= threshold``."""
    n = len(per_interview)
    if n < base_size + run_length:
        return None
    base = set().union(*per_interview[:base_size])
    if not base:
        return None
    start = base_size  # 0-based index of the run's first interview
    while start + run_length <= n:
        before = set().union(*per_interview[:start])
        in_run = set().union(*per_interview[start : start + run_length])
        if len(in_run - before) / len(base) <= threshold + 1e-12:
            return start + run_length
        start += step
    return None


def saturation_tables(
    segments: pd.DataFrame,
    participants: pd.DataFrame,
    rqs: list[str],
    *,
    batch_size: int,
    coverage: float,
    base_size: int,
    run_length: int,
    threshold: float,
    step: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Curves and saturation points of each research question, in the given order."""
    order = participants.sort_values("interview_order")["participant_id"].tolist()
    curves, summary = [], []
    for rq in rqs:
        items = segments[segments["rq"] == rq]
        c = curve(items, order)
        c.insert(0, "rq", rq)
        curves.append(c)
        per = _sets(items, order, "subtheme_id")
        summary.append(
            {
                "rq": rq,
                "method": "guest2006",
                "saturation_interview": guest2006(per, batch_size, coverage),
            }
        )
        summary.append(
            {
                "rq": rq,
                "method": "guest2020",
                "saturation_interview": guest2020(per, base_size, run_length, threshold, step),
            }
        )
    summ = pd.DataFrame(summary)
    summ["saturation_interview"] = summ["saturation_interview"].astype("Int64")
    return pd.concat(curves, ignore_index=True), summ
