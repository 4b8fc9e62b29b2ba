"""The paper's inferential conclusions, read off the analysis outputs.

Nothing here types a verdict: each conclusion is what the pipeline's own tables
say under the paper's choices (the paired tests, the item summary, the
saturation points, the agreement table). Config names only which published
sentences are rankings, saturation and agreement statements, and their claim
ids; paired tests find theirs in the claims registry by number key.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from downstream_safety.common.number_keys import key
from downstream_safety.survey.stats import adjust_p, practice_score

COLUMNS = ["conclusion_id", "claim_id", "family", "conclusion", "expected"]
TIE = 1e-9


def registry_ids(claims: pd.DataFrame) -> dict[str, list[str]]:
    """number_key -> claim ids that compare exactly that number."""
    out: dict[str, list[str]] = {}
    for cid, number_key in claims[["claim_id", "number_key"]].itertuples(index=False):
        if number_key:
            out.setdefault(number_key, []).append(cid)
    return out


def _claim(ids: list[str], fallback: str) -> str:
    return ";".join(ids) if ids else fallback


def paired(tests: pd.DataFrame, claims: dict, alpha: float, correction: str) -> list[dict]:
    """One conclusion per practice and context pair: which context is higher, or none."""
    p = adjust_p(tests["p_value"].to_numpy(float), correction)
    rows = []
    for (practice, a, b, ma, mb), pa in zip(
        tests[["practice", "concern_a", "concern_b", "mean_a", "mean_b"]].itertuples(index=False),
        p,
        strict=True,
    ):
        cid = key("p", practice, a, b)
        if np.isfinite(pa) and pa < alpha and ma != mb:
            hi, lo = (a, b) if ma > mb else (b, a)
            expected = f"higher:{hi}"
            text = f"{practice}: practised more for {hi} than for {lo} concerns"
        else:
            expected = "no_difference"
            text = f"{practice}: no difference between {a} and {b} concerns"
        rows.append(
            {
                "conclusion_id": cid,
                "claim_id": _claim(claims.get(cid, []), cid),
                "family": "paired_test",
                "conclusion": text,
                "expected": expected,
            }
        )
    return rows


def ranking_values(summary: pd.DataFrame, statistic: str, candidates: dict[str, list[str]]):
    """Value per candidate: an item's statistic, or the mean of its items' values
    (a practice score is the mean of its context means)."""
    by_item = summary.set_index("item_id")[statistic]
    return {
        c: float(practice_score([by_item[i] for i in items])) for c, items in candidates.items()
    }


def extremes(values: dict[str, float], extreme: str) -> list[str]:
    finite = {k: v for k, v in values.items() if np.isfinite(v)}
    target = max(finite.values()) if extreme == "highest" else min(finite.values())
    return sorted(k for k, v in finite.items() if abs(v - target) <= TIE)


def ranking(summary: pd.DataFrame, entry: dict, candidates: dict[str, list[str]]) -> dict:
    stat = "mean" if entry["statistic"] == "practice_score" else entry["statistic"]
    winners = extremes(ranking_values(summary, stat, candidates), entry["extreme"])
    cid = f"{entry['extreme']}__{entry['statistic']}__{entry['block']}"
    return {
        "conclusion_id": cid,
        "claim_id": _claim(list(entry.get("claim_ids", [])), cid),
        "family": "ranking",
        "conclusion": (
            f"{' and '.join(winners)}: {entry['extreme']} {entry['statistic']} "
            f"of the {entry['block']} block"
        ),
        "expected": ";".join(winners),
    }


def saturation(points: pd.DataFrame, method: str, entry: dict) -> list[dict]:
    """Saturation by the paper's method: per RQ, and the latest over all RQs."""
    sub = points[points["method"] == method].sort_values("rq")
    rows = []
    for rq, point in sub[["rq", "saturation_interview"]].itertuples(index=False):
        cid = key("saturation", method, rq)
        rows.append(
            {
                "conclusion_id": cid,
                "claim_id": cid,
                "family": "saturation",
                "conclusion": f"{rq}: no new subtheme after interview {point}",
                "expected": "" if pd.isna(point) else str(int(point)),
            }
        )
    latest = sub["saturation_interview"].max()
    cid = f"saturation__{method}__all"
    rows.append(
        {
            "conclusion_id": cid,
            "claim_id": _claim(list(entry.get("claim_ids", [])), cid),
            "family": "saturation",
            "conclusion": f"all research questions: no new subtheme after interview {latest}",
            "expected": "" if pd.isna(latest) else str(int(latest)),
        }
    )
    return rows


def agreement(table: pd.DataFrame, statistic: str, entry: dict) -> dict:
    value = float(table.set_index("round").at[entry["round"], statistic])
    label = entry["label"] if value >= entry["threshold"] else f"below {entry['label']}"
    cid = f"agreement__{entry['round']}"
    return {
        "conclusion_id": cid,
        "claim_id": _claim(list(entry.get("claim_ids", [])), cid),
        "family": "agreement",
        "conclusion": (
            f"{label} agreement in the {entry['round']} rounds "
            f"({statistic} {value:.2f}, threshold {entry['threshold']})"
        ),
        "expected": "holds" if value >= entry["threshold"] else "fails",
    }
