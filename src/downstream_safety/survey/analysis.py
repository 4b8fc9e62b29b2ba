"""Per-wave and pooled survey tables: screening, items, paired tests, demographics.

Every table has one row set per wave and one for the pooled wave ``all``
(all valid respondents of all waves). Values are unrounded; rounding happens
only when a table or figure is rendered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from downstream_safety.instruments.design import Design
from downstream_safety.survey import stats
from downstream_safety.survey.load import POOLED, base_columns, screen
from downstream_safety.survey.platforms import platform_statuses, screening_statuses

TEST_COLUMNS = [
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


def with_status(responses: pd.DataFrame, design: Design) -> pd.DataFrame:
    """Add each respondent's screening status after the respondent columns."""
    out = responses.copy()
    at = out.columns.get_loc(base_columns(design)[-1]) + 1
    out.insert(at, "status", screen(responses, design))
    return out


def wave_sets(responses: pd.DataFrame, wave_order: list[str]) -> list[tuple[str, pd.DataFrame]]:
    """(wave, rows) for each wave in config order, then the pooled set."""
    sets = [(w, responses[responses["wave"] == w]) for w in wave_order]
    return sets + [(POOLED, responses)]


def screening_table(
    responses: pd.DataFrame,
    design: Design,
    wave_order: list[str],
    nonresponses: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """recruited, the platform's non-responses (if any wave is a platform export),
    one excluded_<rule> count per rule in order, valid.

    ``nonresponses`` (given when some wave is a platform export) has one row per
    wave with the counts of platforms.NONRESPONSE_STATUSES; those rows are not
    respondents, so they are counted here but never enter responses.csv.
    """
    statuses = screening_statuses(design)
    platform = platform_statuses(nonresponses is not None)
    dropped = (
        nonresponses.set_index("wave")[platform]
        if nonresponses is not None
        else pd.DataFrame(0, index=wave_order, columns=platform)
    )
    rows = []
    for wave, df in wave_sets(responses, wave_order):
        counts = df["status"].value_counts()
        before = dropped.sum() if wave == POOLED else dropped.loc[wave]
        extra = {s: int(before[s]) for s in platform}
        rows.append(
            {
                "wave": wave,
                "recruited": len(df) + sum(extra.values()),
                **extra,
                **{s: int(counts.get(s, 0)) for s in statuses},
            }
        )
    return pd.DataFrame(rows, columns=["wave", "recruited", *platform, *statuses])


def valid_only(responses: pd.DataFrame) -> pd.DataFrame:
    return responses[responses["status"] == "valid"]


def item_tables(
    responses: pd.DataFrame, design: Design, wave_order: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Item summary (n, mean, top-2 and lowest %) and answers per level of each item's scale."""
    summary, levels = [], []
    for wave, df in wave_sets(valid_only(responses), wave_order):
        for item_id in design.item_ids:
            scale = design.scale_of(item_id)
            summary.append(
                {"wave": wave, "item_id": item_id, **stats.item_summary(df[item_id], scale)}
            )
            counts = stats.level_counts(df[item_id], scale.n_levels)
            n = sum(counts)
            for level, (label, c) in enumerate(zip(scale.labels, counts, strict=True), start=1):
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
    design: Design,
    wave_order: list[str],
    settings: stats.WilcoxonSettings,
) -> pd.DataFrame:
    """One Wilcoxon test per practice and pair of contexts it was asked in; adjusted
    within each wave. With fewer than two contexts there is nothing to compare."""
    comparisons = [
        (practice, a, b, design.practice_item(practice, a), design.practice_item(practice, b))
        for practice in design.practices
        for a, b in design.context_pairs
    ]
    comparisons = [c for c in comparisons if c[3] is not None and c[4] is not None]
    if not comparisons:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TEST_COLUMNS})
    rows = []
    for wave, df in wave_sets(valid_only(responses), wave_order):
        block = pd.DataFrame(
            [
                {
                    "wave": wave,
                    "practice": practice,
                    "concern_a": a,
                    "concern_b": b,
                    **stats.paired_test(df[item_a], df[item_b], settings),
                }  # fmt: skip
                for practice, a, b, item_a, item_b in comparisons
            ]
        )
        block["p_adjusted"] = stats.adjust_p(block["p_value"], settings.p_adjust)
        block["significant"] = block["p_value"] < settings.alpha
        block["significant_adjusted"] = block["p_adjusted"] < settings.alpha
        rows.append(block)
    return pd.concat(rows, ignore_index=True)[TEST_COLUMNS]


DEMOGRAPHIC_COLUMNS = ["wave", "question", "answer_order", "answer", "n", "percent"]


def demographics_table(
    responses: pd.DataFrame, design: Design, wave_order: list[str]
) -> pd.DataFrame:
    """Answer counts and percentages of the valid respondents per question, in option order."""
    rows = []
    for wave, df in wave_sets(valid_only(responses), wave_order):
        n = len(df)
        for question in design.demographics:
            for order, answer in enumerate(question.options, start=1):
                c = int((df[question.question_id] == answer).sum())
                rows.append(
                    {
                        "wave": wave,
                        "question": question.question_id,
                        "answer_order": order,
                        "answer": answer,
                        "n": c,
                        "percent": 100.0 * c / n if n else np.nan,
                    }
                )
    return pd.DataFrame(rows, columns=DEMOGRAPHIC_COLUMNS)


def wave_comparison(responses: pd.DataFrame, design: Design, wave_order: list[str]) -> pd.DataFrame:
    """Item means per wave and a Kruskal-Wallis test of equal distributions across waves."""
    valid = valid_only(responses)
    rows = []
    for item_id in design.item_ids:
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
