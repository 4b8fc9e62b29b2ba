"""The study's inferential conclusions, read off its own analysis outputs.

Nothing here types a verdict, and no published sentence is needed: each
conclusion is what the pipeline's own tables say under the study's choices
(``paper: true`` in ``robustness.choices``), for every element of the design:

* ``paired_test``: per practice and context pair, which context is higher, or none;
* ``ranking``: per survey block, the highest and the lowest item (per ranking
  statistic), and for a block of practices the highest and lowest practice score;
* ``saturation``: per research question, and over all of them;
* ``agreement``: per annotation round, the agreement level its statistic reaches;
* ``coder_agreement``: per subtheme, and over all of them, whether the interview
  coders' pooled kappa reaches ``interviews.coder_agreement.kappa_threshold``.

Claim ids are labels only: a paired test takes those of the claims registry
that compare its number key, and ``robustness.claims`` attaches claim ids to
any conclusion by its id. A conclusion without one is named by its own id.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.common.number_keys import key

# The row of the incident agreement table that pools the calibration rounds.
from downstream_safety.incidents.agreement import CALIBRATION
from downstream_safety.interviews.coder_agreement import POOLED
from downstream_safety.survey.stats import adjust_p, practice_score

COLUMNS = ["conclusion_id", "claim_id", "family", "conclusion", "expected"]
TIE = 1e-9
CONFIG = "config/config.yaml"


def registry_ids(claims: pd.DataFrame) -> dict[str, list[str]]:
    """number_key -> claim ids that compare exactly that number."""
    out: dict[str, list[str]] = {}
    for cid, number_key in claims[["claim_id", "number_key"]].itertuples(index=False):
        if number_key:
            out.setdefault(number_key, []).append(cid)
    return out


def _row(cid: str, family: str, text: str, expected: str) -> dict:
    return {
        "conclusion_id": cid,
        "claim_id": cid,
        "family": family,
        "conclusion": text,
        "expected": expected,
    }


# --- paired tests -----------------------------------------------------------


def paired(tests: pd.DataFrame, alpha: float, correction: str) -> list[dict]:
    """One conclusion per practice and context pair: which context is higher, or none."""
    p = adjust_p(tests["p_value"].to_numpy(float), correction)
    rows = []
    for (practice, a, b, ma, mb), pa in zip(
        tests[["practice", "concern_a", "concern_b", "mean_a", "mean_b"]].itertuples(index=False),
        p,
        strict=True,
    ):
        if np.isfinite(pa) and pa < alpha and ma != mb:
            hi, lo = (a, b) if ma > mb else (b, a)
            expected = f"higher:{hi}"
            text = f"{practice}: practised more for {hi} than for {lo} concerns"
        else:
            expected = "no_difference"
            text = f"{practice}: no difference between {a} and {b} concerns"
        rows.append(_row(key("p", practice, a, b), "paired_test", text, expected))
    return rows


# --- rankings ---------------------------------------------------------------


def ranking_entries(
    blocks: dict[str, list[str]], practice_blocks: dict[str, list[str]], statistics: list[str]
) -> list[dict]:
    """Every ranking the design allows: per block (in design order), the highest
    and lowest item by each statistic, then, for a block that asks practices per
    context, the highest and lowest practice score."""
    out = []
    for block, items in blocks.items():
        if not items:
            continue
        stats = [s for s in statistics if s != "practice_score"]
        if practice_blocks.get(block):
            stats.append("practice_score")
        for statistic in stats:
            for extreme in ("highest", "lowest"):
                out.append({"block": block, "statistic": statistic, "extreme": extreme})
    return out


def ranking_id(entry: dict) -> str:
    return key(entry["extreme"], entry["statistic"], entry["block"])


def candidates(entry: dict, design: dict) -> dict[str, list[str]]:
    """What a ranking ranks: the block's items, or the practices of the block
    (each scored by the items its score averages)."""
    if entry["statistic"] == "practice_score":
        return {p: design["score_items"][p] for p in design["practice_blocks"][entry["block"]]}
    return {i: [i] for i in design["blocks"][entry["block"]]}


def ranking_values(summary: pd.DataFrame, statistic: str, candidates: dict[str, list[str]]):
    """Value per candidate: an item's statistic, or the mean of its items' values
    (a practice score is the mean of its context means)."""
    by_item = summary.set_index("item_id")[statistic]
    return {
        c: float(practice_score([by_item[i] for i in items])) for c, items in candidates.items()
    }


def extremes(values: dict[str, float], extreme: str) -> list[str]:
    finite = {k: v for k, v in values.items() if np.isfinite(v)}
    if not finite:
        return []
    target = max(finite.values()) if extreme == "highest" else min(finite.values())
    return sorted(k for k, v in finite.items() if abs(v - target) <= TIE)


def ranking(summary: pd.DataFrame, entry: dict, candidates: dict[str, list[str]]) -> dict | None:
    """The ranking's winners; None when no candidate has a value (nothing answered)."""
    stat = "mean" if entry["statistic"] == "practice_score" else entry["statistic"]
    winners = extremes(ranking_values(summary, stat, candidates), entry["extreme"])
    if not winners:
        return None
    text = (
        f"{' and '.join(winners)}: {entry['extreme']} {entry['statistic']} "
        f"of the {entry['block']} block"
    )
    return _row(ranking_id(entry), "ranking", text, ";".join(winners))


# --- saturation -------------------------------------------------------------


def saturation(points: pd.DataFrame, method: str) -> list[dict]:
    """Saturation by the study's method: per RQ, and the latest over all RQs."""
    sub = points[points["method"] == method].sort_values("rq")
    rows = []
    for rq, point in sub[["rq", "saturation_interview"]].itertuples(index=False):
        rows.append(
            _row(
                key("saturation", method, rq),
                "saturation",
                f"{rq}: no new subtheme after interview {point}",
                "" if pd.isna(point) else str(int(point)),
            )
        )
    latest = sub["saturation_interview"].max()
    rows.append(
        _row(
            key("saturation", method, "all"),
            "saturation",
            f"all research questions: no new subtheme after interview {latest}",
            "" if pd.isna(latest) else str(int(latest)),
        )
    )
    return rows


# --- agreement --------------------------------------------------------------


def agreement_level(value: float, levels: list[dict]) -> dict:
    """The highest level whose lower bound ``value`` reaches (levels sorted by bound)."""
    reached = [lv for lv in sorted(levels, key=lambda lv: lv["from"]) if value >= lv["from"]]
    if not reached:
        lowest = min(levels, key=lambda lv: lv["from"])
        return {"label": f"below {lowest['label']}", "from": -np.inf}
    return reached[-1]


def agreement_id(rnd: str) -> str:
    return key("agreement", rnd)


def _where(rnd: str) -> str:
    return f"the {rnd} rounds" if rnd == CALIBRATION else f"round {rnd}"


def agreement(table: pd.DataFrame, statistic: str, levels: list[dict]) -> list[dict]:
    """Per round of the agreement table: the level its statistic reaches. A round
    whose statistic is undefined (no label used) draws no conclusion."""
    rows = []
    for rnd, value in table[["round", statistic]].itertuples(index=False):
        value = float(value)
        if not np.isfinite(value):
            continue
        level = agreement_level(value, levels)
        rows.append(
            _row(
                agreement_id(rnd),
                "agreement",
                f"{level['label']} agreement in {_where(rnd)} "
                f"({statistic} {value:.2f}, threshold {level['from']})",
                "holds",
            )
        )
    return rows


def agreement_thresholds(table: pd.DataFrame, statistic: str, levels: list[dict]) -> dict:
    """conclusion id -> (round, lower bound of the level its conclusion states)."""
    return {
        agreement_id(rnd): (rnd, agreement_level(float(v), levels)["from"])
        for rnd, v in table[["round", statistic]].itertuples(index=False)
        if np.isfinite(float(v))
    }


# --- inter-coder agreement of the interviews --------------------------------

CODER_FAMILY = "coder_agreement"
# The overall conclusion's id has one part, so no subtheme id can collide with it.
CODER_ALL = key(CODER_FAMILY)


def coder_agreement_id(subtheme: str) -> str:
    return key(CODER_FAMILY, subtheme)


def coder_threshold(table: pd.DataFrame) -> float:
    """The kappa threshold the coder-agreement table was judged against."""
    values = table.loc[table["source"] == POOLED, "kappa_threshold"].dropna().unique()
    if len(values) != 1:
        raise ValueError(
            f"the coder-agreement table carries kappa thresholds {list(values)} on its pooled "
            "rows, where the workflow sets one: a bug in the package"
        )
    return float(values[0])


def _pooled_subthemes(table: pd.DataFrame) -> pd.DataFrame:
    return table[(table["level"] == "subtheme") & (table["source"] == POOLED)]


def coder_agreement(table: pd.DataFrame) -> list[dict]:
    """Per subtheme (pooled over sources): does every pair of coders reach the kappa
    threshold (``expected`` holds or fails, the table's own ``meets_threshold``)?
    Then one conclusion over all subtheme. A table without kappa (key points
    without offsets) draws none."""
    sub = _pooled_subthemes(table)
    if sub.empty:
        return []
    threshold = coder_threshold(table)
    rows = []
    for unit, g in sub.groupby("unit", sort=True):
        meets = bool(g["meets_threshold"].astype(bool).all())
        rows.append(
            _row(
                coder_agreement_id(unit),
                CODER_FAMILY,
                f"coder agreement on {unit} reaches the kappa threshold {threshold:g} "
                f"(pooled kappa {g['kappa'].min():.2f})",
                "holds" if meets else "fails",
            )
        )
    meets = bool(sub["meets_threshold"].astype(bool).all())
    rows.append(
        _row(
            CODER_ALL,
            CODER_FAMILY,
            f"coder agreement on every subtheme reaches the kappa threshold {threshold:g} "
            f"(lowest pooled kappa {sub['kappa'].min():.2f})",
            "holds" if meets else "fails",
        )
    )
    return rows


# --- claim ids --------------------------------------------------------------


def link(rows: list[dict], registry: dict[str, list[str]], claims: list[dict]) -> list[dict]:
    """Attach claim ids: the registry's for a paired test's number key, then the
    config's ``robustness.claims`` entries. An entry naming no generated
    conclusion, or two conclusions ending with the same claim ids, is refused."""
    by_id = {r["conclusion_id"]: r for r in rows}
    attached: dict[str, list[str]] = {
        r["conclusion_id"]: list(registry.get(r["conclusion_id"], []))
        for r in rows
        if r["family"] == "paired_test"
    }
    unknown = [c["conclusion_id"] for c in claims if c["conclusion_id"] not in by_id]
    if unknown:
        raise InputError(
            CONFIG,
            f"robustness.claims names conclusion(s) {unknown} that this study's results "
            f"do not draw; drawn: {sorted(by_id)}",
            column="robustness.claims[].conclusion_id",
            fix="use an id of data/processed/robustness/conclusions.csv (without links its "
            "claim_id column is the conclusion id), or drop the entry",
        )
    for c in claims:
        ids = attached.setdefault(c["conclusion_id"], [])
        ids += [i for i in c["claim_ids"] if i not in ids]
    out = []
    for r in rows:
        ids = attached.get(r["conclusion_id"], [])
        out.append({**r, "claim_id": ";".join(ids) if ids else r["conclusion_id"]})
    seen: dict[str, str] = {}
    for r in out:
        if r["claim_id"] in seen:
            raise InputError(
                CONFIG,
                f"conclusions {seen[r['claim_id']]} and {r['conclusion_id']} both carry "
                f"the claim id(s) {r['claim_id']}",
                column="robustness.claims",
                fix="attach a claim id to one conclusion only",
            )
        seen[r["claim_id"]] = r["conclusion_id"]
    return out
