"""Per-wave and pooled survey tables: screening, items, paired tests, demographics.

Every table has one row set per wave and one for the pooled wave ``all``
(all valid respondents of all waves). Values are unrounded; rounding happens
only when a table or figure is rendered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from downstream_safety.survey import stats
from downstream_safety.survey.instrument import (
    CONTEXT_PAIRS,
    DEMOGRAPHICS,
    Items,
)
from downstream_safety.survey.load import POOLED, screen

STATUSES = ["excluded_experience", "excluded_description", "valid"]


def with_status(responses: pd.DataFrame) -> pd.DataFrame:
    out = responses.copy()
    out.insert(out.columns.get_loc("description_verdict") + 1, "status", screen(responses))
    return out


def wave_sets(responses: pd.DataFrame, wave_order: list[str]) -> list[tuple[str, pd.DataFrame]]:
    """(wave, rows) for each wave in config order, then the pooled set."""
    sets = [(w, responses[responses["wave"] == w]) for w in wave_order]
    return sets + [(POOLED, responses)]


def screening_table(responses: pd.DataFrame, wave_order: list[str]) -> pd.DataFrame:
    rows = []
    for wave, df in wave_sets(responses, wave_order):
        counts = df["status"].value_counts()
        rows.append(
            {
                "wave": wave,
                "recruited": len(df),
                **{s: int(counts.get(s, 0)) for s in STATUSES},
            }
        )
    return pd.DataFrame(rows, columns=["wave", "recruited", *STATUSES])


def valid_only(responses: pd.DataFrame) -> pd.DataFrame:
    return responses[responses["status"] == "valid"]


def item_tables(
    responses: pd.DataFrame, items: Items, wave_order: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Item summary (n, mean, top-2 and lowest %) and answers per level."""
    summary, levels = [], []
    for wave, df in wave_sets(valid_only(responses), wave_order):
        for item_id in items.ids:
            k = items.n_levels(item_id)
            summary.append({"wave": wave, "item_id": item_id, **stats.item_summary(df[item_id], k)})
            counts = stats.level_counts(df[item_id], k)
            n = sum(counts)
            for level, (label, c) in enumerate(
                zip(items.level_labels(item_id), counts, strict=True), start=1
            ):
                levels.append(
                    {
                        "wave": wave,
                        "item_id": item_id,
                        "level": level,
                        "label": label,
                        "count": c,
                        "percent": 100.0 * c / n if n else np.nan,
                    }
                )
    return pd.DataFrame(summary), pd.DataFrame(levels)


def practice_tests(
    responses: pd.DataFrame,
    items: Items,
    wave_order: list[str],
    settings: stats.WilcoxonSettings,
) -> pd.DataFrame:
    """One Wilcoxon test per practice and context pair; adjusted within each wave."""
    rows = []
    for wave, df in wave_sets(valid_only(responses), wave_order):
        block = []
        for practice in items.practices:
            for a, b in CONTEXT_PAIRS:
                res = stats.paired_test(
                    df[items.practice_item(practice, a)],
                    df[items.practice_item(practice, b)],
                    settings,
                )
                block.append(
                    {"wave": wave, "practice": practice, "concern_a": a, "concern_b": b, **res}
                )
        block = pd.DataFrame(block)
        block["p_adjusted"] = stats.adjust_p(block["p_value"], settings.p_adjust)
        block["significant"] = block["p_value"] < settings.alpha
        block["significant_adjusted"] = block["p_adjusted"] < settings.alpha
        rows.append(block)
    out = pd.concat(rows, ignore_index=True)
    cols = [
        "wave",
        "practice",
        "concern_a",
        "concern_b",
        "n_pairs",
        "mean_a",
        "mean_b",
        "p_value",
        "effect_size_d",
        "effect_size_r",
        "n_nonzero",
        "z",
        "rank_biserial",
        "p_adjusted",
        "significant",
        "significant_adjusted",
    ]
    return out[cols]


def demographics_table(responses: pd.DataFrame, wave_order: list[str]) -> pd.DataFrame:
    """Answer counts and percentages of the valid respondents per question."""
    rows = []
    for wave, df in wave_sets(valid_only(responses), wave_order):
        n = len(df)
        for question, answers in DEMOGRAPHICS.items():
            for order, answer in enumerate(answers, start=1):
                c = int((df[question] == answer).sum())
                rows.append(
                    {
                        "wave": wave,
                        "question": question,
                        "answer_order": order,
                        "answer": answer,
                        "n": c,
                        "percent": 100.0 * c / n if n else np.nan,
                    }
                )
    return pd.DataFrame(rows)


def wave_comparison(responses: pd.DataFrame, items: Items, wave_order: list[str]) -> pd.DataFrame:
    """Item means per wave and a Kruskal-Wallis test of equal distributions across waves."""
    valid = valid_only(responses)
    rows = []
    for item_id in items.ids:
        samples = [valid.loc[valid["wave"] == w, item_id].dropna().to_numpy() for w in wave_order]
        usable = [s for s in samples if len(s)]
        h = p = np.nan
        if len(usable) > 1 and len(np.unique(np.concatenate(usable))) > 1:
            from scipy import stats as sps  # only the wave comparison needs it

            h, p = (float(v) for v in sps.kruskal(*usable))
        for w, s in zip(wave_order, samples, strict=True):
            rows.append(
                {
                    "item_id": item_id,
                    "wave": w,
                    "n_valid": len(s),
                    "mean": float(s.mean()) if len(s) else np.nan,
                    "kruskal_h": h,
                    "kruskal_p": p,
                }
            )
    return pd.DataFrame(rows)
