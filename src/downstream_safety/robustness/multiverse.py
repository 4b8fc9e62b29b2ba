"""Specifications (combinations of analysis choices) and each conclusion's
fate under each of them.

The work is a flat list of units; a unit is one combination of the choices
that need a recomputation (test x missing answers x screening for the paired
tests, missing answers x screening for the rankings, one saturation method,
one agreement definition, the interview coders' agreement). Multiple-comparison
corrections are applied within a unit, because they only re-read the same
p-values. Chunks are contiguous slices of the unit list, so the gathered table
does not depend on the chunk count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from downstream_safety.common.number_keys import key
from downstream_safety.instruments.design import ScreeningRule
from downstream_safety.interviews.saturation import guest2006, guest2020
from downstream_safety.robustness import conclusions as concl
from downstream_safety.robustness import seeds
from downstream_safety.robustness.paired import paired_p, pairs
from downstream_safety.robustness.screening import kept
from downstream_safety.survey import stats

CHOICES = ["test", "missing", "screening", "correction", "saturation", "agreement"]
COLUMNS = [
    "conclusion_id",
    "claim_id",
    "family",
    "specification",
    "paper_specification",
    *CHOICES,
    "statistic",
    "p_value",
    "holds",
]
VERDICTS = ["robust", "fragile", "contrary"]


def paper_choice(options: list[dict]) -> dict:
    marked = [o for o in options if o.get("paper")]
    if len(marked) != 1:
        raise ValueError("every robustness choice list marks exactly one paper choice")
    return marked[0]


def units(choices: dict, strands: dict[str, bool] | None = None) -> list[tuple]:
    """The work units of the strands that run (all when ``strands`` is None); the
    coder-agreement unit only when ``strands["coder_agreement"]`` says so."""
    on = strands or {}
    out: list[tuple] = []
    if on.get("survey", True):
        for t in choices["test"]:
            for m in choices["missing"]:
                for s in choices["screening"]:
                    out.append(("paired_test", t["id"], m["id"], s["id"]))
        for m in choices["missing"]:
            for s in choices["screening"]:
                out.append(("ranking", m["id"], s["id"]))
    if on.get("interviews", True):
        for s in choices["saturation"]:
            out.append(("saturation", s["id"]))
    if on.get("incidents", True):
        for a in choices["agreement"]:
            out.append(("agreement", a["id"]))
    # Only when the coder-agreement table is an input (two coders, a threshold set).
    if on.get("coder_agreement", False):
        out.append(("coder_agreement",))
    return out


@dataclass
class Inputs:
    """Everything a unit reads, as passed by the rule."""

    conclusions: pd.DataFrame
    seed: int
    # The survey (None when the strand does not run)
    responses: pd.DataFrame | None = None  # every recruited respondent, answers coded
    screening_rules: tuple[ScreeningRule, ...] = ()  # the survey's rules (Design.screening)
    practice_items: dict[str, dict[str, str]] | None = None  # practice -> context -> item
    context_pairs: list[tuple[str, str]] | None = None
    blocks: dict[str, list[str]] | None = None  # block -> item ids
    n_levels: dict[str, int] | None = None  # item id -> scale length
    rankings: list[dict] | None = None  # conclusions.ranking_entries
    alternative: str = "two-sided"
    alpha: float = 0.05
    permutation_resamples: int = 2000
    score_items: dict[str, list[str]] | None = None  # practice -> items of its score
    practice_blocks: dict[str, list[str]] | None = None  # block -> practices asked in it
    # The interviews
    interviews: dict[str, list[set]] | None = None  # rq -> subthemes per interview, in order
    saturation_params: dict | None = None
    # The incident annotations
    agreement_rounds: pd.DataFrame | None = None
    agreement_labels: pd.DataFrame | None = None
    agreement_levels: list[dict] | None = None
    # The interview coders' agreement (interviews/coder_agreement.csv)
    coder_agreement: pd.DataFrame | None = None
    code_subthemes: dict[str, str] | None = None  # code id -> subtheme id


def _row(c, spec: dict, paper: dict, statistic, p, holds: bool) -> dict:
    used = {k: v for k, v in spec.items() if v != ""}
    return {
        "conclusion_id": c.conclusion_id,
        "claim_id": c.claim_id,
        "family": c.family,
        "specification": "+".join(used.values()),
        "paper_specification": all(paper.get(k) == v for k, v in used.items()),
        **{k: spec.get(k, "") for k in CHOICES},
        "statistic": statistic,
        "p_value": p,
        "holds": bool(holds),
    }


def _paired_rows(unit_index, unit, choices, paper, inp: Inputs) -> list[dict]:
    _, test_id, missing, screening_id = unit
    test = next(t for t in choices["test"] if t["id"] == test_id)
    skip = next(s for s in choices["screening"] if s["id"] == screening_id).get("skip", [])
    df = kept(inp.responses, inp.screening_rules, skip)
    tested = []
    for j, (practice, ctx) in enumerate(
        (p, pair)
        for p, cols in inp.practice_items.items()
        for pair in inp.context_pairs
        if pair[0] in cols and pair[1] in cols
    ):
        cols = inp.practice_items[practice]
        x, y = pairs(df, cols[ctx[0]], cols[ctx[1]], list(cols.values()), missing)
        rng = seeds.generator(inp.seed, seeds.PERMUTATION, unit_index, j)
        stat, p = paired_p(
            x,
            y,
            test,
            alternative=inp.alternative,
            rng=rng,
            n_resamples=inp.permutation_resamples,
        )
        diff = float(np.mean(x) - np.mean(y)) if len(x) else np.nan
        tested.append((key("p", practice, ctx[0], ctx[1]), ctx, stat, p, diff))
    p_raw = np.array([t[3] for t in tested], float)
    by_id = {c.conclusion_id: c for c in inp.conclusions.itertuples(index=False)}
    rows = []
    for corr in choices["correction"]:
        p_adj = stats.adjust_p(p_raw, corr["id"])
        for (cid, (a, b), stat, _, diff), pa in zip(tested, p_adj, strict=True):
            if cid not in by_id:
                continue
            c = by_id[cid]
            significant = bool(np.isfinite(pa) and pa < inp.alpha and diff != 0)
            if c.expected == "no_difference":
                holds = not significant
            else:
                higher = a if diff > 0 else b
                holds = significant and c.expected == f"higher:{higher}"
            spec = {
                "test": test_id,
                "missing": missing,
                "screening": screening_id,
                "correction": corr["id"],
            }
            rows.append(_row(c, spec, paper, stat, pa, holds))
    return rows


def _ranking_rows(unit, choices, paper, inp: Inputs) -> list[dict]:
    _, missing, screening_id = unit
    skip = next(s for s in choices["screening"] if s["id"] == screening_id).get("skip", [])
    df = kept(inp.responses, inp.screening_rules, skip)
    by_id = {c.conclusion_id: c for c in inp.conclusions.itertuples(index=False)}
    rows = []
    for entry in inp.rankings:
        per_practice = entry["statistic"] == "practice_score"
        if not per_practice and missing != paper["missing"]:
            continue  # listwise deletion across contexts only concerns practices
        cid = concl.ranking_id(entry)
        if cid not in by_id:
            continue  # no candidate was answered: no conclusion drawn
        c = by_id[cid]
        if per_practice:
            values = {}
            scored = inp.score_items or {
                p: list(ctx.values()) for p, ctx in inp.practice_items.items()
            }
            for practice in inp.practice_blocks[entry["block"]]:
                cols = inp.practice_items[practice]
                sub = df[list(dict.fromkeys([*cols.values(), *scored[practice]]))]
                if missing == "listwise":
                    sub = sub.dropna(subset=list(cols.values()))
                means = [stats.mean(sub[c_].to_numpy(float)) for c_ in scored[practice]]
                values[practice] = float(stats.practice_score(means))
        else:
            values = {
                i: _item_statistic(df[i], entry["statistic"], inp.n_levels[i])
                for i in inp.blocks[entry["block"]]
            }
        winners = concl.extremes(values, entry["extreme"])
        spec = {"missing": missing if per_practice else "", "screening": screening_id}
        stat = values[winners[0]] if winners else np.nan
        rows.append(_row(c, spec, paper, stat, np.nan, ";".join(winners) == c.expected))
    return rows


def _item_statistic(codes: pd.Series, statistic: str, n_levels: int) -> float:
    x = codes.to_numpy(float)
    if np.isnan(x).all():
        return np.nan
    if statistic == "mean":
        return float(stats.mean(x))
    if statistic == "pct_top2":
        return float(stats.pct_top2(x, n_levels))
    if statistic == "pct_lowest":
        return float(stats.pct_lowest(x))
    raise ValueError(f"unknown ranking statistic {statistic!r}")


def saturation_points(per_interview: list[set], method: str, params: dict) -> int | None:
    if method == "guest2006":
        g = params["guest2006"]
        return guest2006(per_interview, g["batch_size"], g["coverage"])
    if method == "guest2020":
        g = params["guest2020"]
        return guest2020(per_interview, g["base_size"], g["run_length"], g["threshold"], g["step"])
    raise ValueError(f"unknown saturation method {method!r}; use guest2006 or guest2020")


def _saturation_rows(unit, paper, inp: Inputs) -> list[dict]:
    method = unit[1]
    by_id = inp.conclusions[inp.conclusions["family"] == "saturation"]
    points = {
        rq: saturation_points(sets, method, inp.saturation_params)
        for rq, sets in inp.interviews.items()
    }
    reached = [p for p in points.values() if p is not None]
    latest = max(reached) if len(reached) == len(points) else None
    # Conclusion ids carry the study's method (conclusions.saturation) and the rq's key.
    of_id = {key("saturation", paper["saturation"], rq): p for rq, p in points.items()}
    of_id[key("saturation", paper["saturation"], "all")] = latest
    rows = []
    for c in by_id.itertuples(index=False):
        point = of_id[c.conclusion_id]
        expected = int(c.expected) if c.expected else None
        holds = point is not None and expected is not None and point <= expected
        stat = float(point) if point is not None else np.nan
        rows.append(_row(c, {"saturation": method}, paper, stat, np.nan, holds))
    return rows


def agreement_values(definition: dict, rounds: pd.DataFrame, labels: pd.DataFrame, rnd: str):
    """(specification id, value) pairs of one agreement definition in one round."""
    kind = definition["id"]
    if kind in ("kappa", "kappa_label_mean", "alpha_masi"):
        return [(kind, float(rounds.set_index("round").at[rnd, kind]))]
    column = {"kappa_per_label": "kappa", "alpha_per_label": "alpha_nominal"}.get(kind)
    if column is None:
        raise ValueError(f"unknown agreement definition {kind!r}")
    sub = labels[labels["round"] == rnd]
    return [(f"{kind}:{s}", float(v)) for s, v in zip(sub["subtheme_id"], sub[column], strict=True)]


def _agreement_rows(unit, choices, paper, inp: Inputs) -> list[dict]:
    """Does each round's agreement, by this definition, reach the level its
    conclusion states (the lower bound of that level)?"""
    definition = next(a for a in choices["agreement"] if a["id"] == unit[1])
    thresholds = concl.agreement_thresholds(
        inp.agreement_rounds, paper["agreement"], inp.agreement_levels
    )
    rows = []
    for c in inp.conclusions[inp.conclusions["family"] == "agreement"].itertuples(index=False):
        rnd, threshold = thresholds[c.conclusion_id]
        for spec_id, value in agreement_values(
            definition, inp.agreement_rounds, inp.agreement_labels, rnd
        ):
            if not np.isfinite(value):
                continue  # undefined (a label neither annotator used): nothing to compare
            holds = (value >= threshold) == (c.expected == "holds")
            rows.append(_row(c, {"agreement": spec_id}, paper, value, np.nan, holds))
    return rows


# The study's own specification of a coder-agreement conclusion: pooled kappa.
CODER_POOLED = "kappa_pooled"


def _coded(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows where a coder of the pair used the unit: where neither did, kappa is 1
    by convention and says nothing about agreeing on it."""
    return rows[rows["both"] + rows["only_a"] + rows["only_b"] > 0]


def coder_agreement_values(
    table: pd.DataFrame, code_subthemes: dict[str, str]
) -> dict[str, list[tuple[str, float]]]:
    """conclusion id -> (specification id, kappa) pairs; a value is the lowest over
    the pairs of coders. Per subtheme: pooled (the study's), each source where it
    was coded, each of its codes (pooled); over all subthemes: the lowest pooled,
    per source the lowest of the subthemes coded there, and the lowest code."""
    pooled = table["source"] == concl.POOLED
    subs = table[table["level"] == "subtheme"]
    codes = table[(table["level"] == "code") & pooled]
    out: dict[str, list[tuple[str, float]]] = {}
    for unit, g in subs.groupby("unit", sort=True):
        vals = [(CODER_POOLED, float(g.loc[g["source"] == concl.POOLED, "kappa"].min()))]
        per_source = _coded(g[g["source"] != concl.POOLED]).groupby("source", sort=True)
        vals += [(f"kappa_source:{src}", float(x["kappa"].min())) for src, x in per_source]
        mine = codes[codes["unit"].map(code_subthemes) == unit].groupby("unit", sort=True)
        vals += [(f"kappa_code:{c}", float(x["kappa"].min())) for c, x in mine]
        out[concl.coder_agreement_id(unit)] = vals
    every = [(CODER_POOLED, float(subs.loc[subs["source"] == concl.POOLED, "kappa"].min()))]
    per_source = _coded(subs[subs["source"] != concl.POOLED]).groupby("source", sort=True)
    every += [(f"kappa_source:{src}", float(x["kappa"].min())) for src, x in per_source]
    if not codes.empty:
        every.append(("kappa_code", float(codes["kappa"].min())))
    out[concl.CODER_ALL] = every
    return out


def _coder_rows(paper, inp: Inputs) -> list[dict]:
    """Does each coder-agreement conclusion's verdict (threshold reached or not)
    hold by each specification: its kappa reaches the threshold, or not, as expected?"""
    table = inp.coder_agreement
    if table[table["level"] == "subtheme"].empty:
        return []
    threshold = concl.coder_threshold(table)
    values = coder_agreement_values(table, inp.code_subthemes)
    study = {**paper, "agreement": CODER_POOLED}
    rows = []
    for c in inp.conclusions[inp.conclusions["family"] == concl.CODER_FAMILY].itertuples(
        index=False
    ):
        for spec_id, value in values[c.conclusion_id]:
            if not np.isfinite(value):
                continue
            reaches = value >= threshold
            rows.append(
                _row(
                    c,
                    {"agreement": spec_id},
                    study,
                    value,
                    np.nan,
                    reaches == (c.expected == "holds"),
                )
            )
    return rows


def evaluate(
    unit_range: range, choices: dict, inp: Inputs, strands: dict[str, bool] | None = None
) -> pd.DataFrame:
    """Rows of specifications.csv for the units in ``unit_range`` (of ``units``)."""
    paper = {k: paper_choice(v)["id"] for k, v in choices.items()}
    all_units = units(choices, strands)
    rows: list[dict] = []
    for i in unit_range:
        unit = all_units[i]
        if unit[0] == "paired_test":
            rows += _paired_rows(i, unit, choices, paper, inp)
        elif unit[0] == "ranking":
            rows += _ranking_rows(unit, choices, paper, inp)
        elif unit[0] == "saturation" and inp.interviews is not None:
            rows += _saturation_rows(unit, paper, inp)
        elif unit[0] == "agreement" and inp.agreement_rounds is not None:
            rows += _agreement_rows(unit, choices, paper, inp)
        elif unit[0] == "coder_agreement" and inp.coder_agreement is not None:
            rows += _coder_rows(paper, inp)
    return pd.DataFrame(rows, columns=COLUMNS)


def verdict(n_hold: int, n: int) -> str:
    if n_hold == n:
        return "robust"
    return "contrary" if n_hold == 0 else "fragile"


def summary(specs: pd.DataFrame, conclusions: pd.DataFrame) -> pd.DataFrame:
    """One row per conclusion, in the order of the conclusions table."""
    rows = []
    for c in conclusions.itertuples(index=False):
        sub = specs[specs["conclusion_id"] == c.conclusion_id]
        n, n_hold = len(sub), int(sub["holds"].sum())
        if n == 0:
            raise ValueError(
                f"conclusion {c.conclusion_id} has no specification: a bug in the package"
            )
        rows.append(
            {
                "claim_id": c.claim_id,
                "conclusion": c.conclusion,
                "n_specifications": n,
                "n_hold": n_hold,
                "share_hold": n_hold / n,
                "verdict": verdict(n_hold, n),
            }
        )
    return pd.DataFrame(rows)
