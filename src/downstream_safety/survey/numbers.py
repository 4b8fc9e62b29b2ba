"""The survey's headline numbers for the paper stage (pooled wave ``all``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from downstream_safety.common.number_keys import key
from downstream_safety.common.numbers import numbers_frame
from downstream_safety.instruments.design import Design
from downstream_safety.survey.load import POOLED
from downstream_safety.survey.platforms import NONRESPONSE_STATUSES, funnel
from downstream_safety.survey.stats import practice_score


def survey_numbers(
    screening: pd.DataFrame,
    demographics: pd.DataFrame,
    summary: pd.DataFrame,
    levels: pd.DataFrame,
    tests: pd.DataFrame,
    design: Design,
) -> pd.DataFrame:
    rows = []
    scr = screening[screening["wave"] == POOLED].iloc[0]
    platform = NONRESPONSE_STATUSES[0] in screening.columns  # some wave is a platform export
    for col in ["recruited", *funnel(design, platform)]:
        rows.append((key("screen", col), scr[col], f"survey respondents: {col.replace('_', ' ')}"))
    for r in demographics[demographics["wave"] == POOLED].itertuples():
        rows.append(
            (key("demo_n", r.question, r.answer), r.n, f"valid respondents answering {r.answer!r}")
        )
        rows.append(
            (
                key("demo_pct", r.question, r.answer),
                r.percent,
                f"% of valid respondents: {r.answer!r}",
            )
        )
    summ = summary[summary["wave"] == POOLED].set_index("item_id")
    lev = levels[levels["wave"] == POOLED]
    for item_id in design.item_ids:
        s = summ.loc[item_id]
        rows.append((key("n_valid", item_id), s["n_valid"], "valid respondents who answered"))
        rows.append(
            (key("n_missing", item_id), s["n_missing"], "valid respondents, missing answer")
        )
        if s["n_valid"] == 0:
            continue
        rows.append((key("mean", item_id), s["mean"], "mean answer code"))
        rows.append((key("pct_top2", item_id), s["pct_top2"], "% in the two highest levels"))
        rows.append((key("pct_lowest", item_id), s["pct_lowest"], "% in the lowest level"))
        li = lev[(lev["item_id"] == item_id) & (lev["level"] <= 2)]
        rows.append(
            (key("pct_bottom2", item_id), li["percent"].sum(), "% in the two lowest levels")
        )
    contextual = set(design.contextual_items["item_id"])
    for practice in design.practices:
        # Every item measuring the practice counts, each with equal weight.
        measuring = design.items_measuring(practice)
        means = [summ.loc[i, "mean"] for i in measuring]
        if all(np.isfinite(means)):
            what = "context" if contextual.issuperset(measuring) else "item"
            rows.append(
                (
                    key("practice_score", practice),
                    float(practice_score(means)),
                    f"mean of the {len(means)} {what} means",
                )
            )
    for r in tests[tests["wave"] == POOLED].itertuples():
        for prefix, value, what in [
            ("p", r.p_value, "Wilcoxon signed-rank p-value"),
            ("p_adj", r.p_adjusted, "adjusted p-value"),
            ("d", r.effect_size_d, "Cohen's d (pooled SD of the paired values)"),
            ("r", r.effect_size_r, "|z| / sqrt(n_pairs)"),
            ("rank_biserial", r.rank_biserial, "matched-pairs rank-biserial correlation"),
            ("n_pairs", r.n_pairs, "respondents who answered both items"),
        ]:
            if pd.notna(value):
                rows.append((key(prefix, r.practice, r.concern_a, r.concern_b), value, what))
    return numbers_frame(rows)
