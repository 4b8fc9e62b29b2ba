"""Figures 3-5 (diverging stacked bars), the screening funnel and the wave comparison.

Every wave gets the same item order, level colours and axis range, so figures
of different waves can be laid side by side.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from downstream_safety.common.figures import DIVERGING_4, DIVERGING_5, OKABE_ITO
from downstream_safety.survey.instrument import CONTEXT_LABELS, CONTEXTS, Items

RECONSTRUCTED = "Reconstructed data (not the study's original responses)"


def _rows_for(levels: pd.DataFrame, item_ids: list[str]) -> tuple[np.ndarray, list[int]]:
    pct, n = [], []
    for item_id in item_ids:
        sub = levels[levels["item_id"] == item_id].sort_values("level")
        pct.append(sub["percent"].fillna(0.0).to_numpy())
        n.append(int(sub["count"].sum()))
    return np.array(pct), n


def diverging_bars(
    levels: pd.DataFrame,
    item_ids: list[str],
    tick_labels: list[str],
    level_labels: list[str],
    *,
    title: str,
    gaps_after: tuple[int, ...] = (),
):
    """Bars centred on the neutral level (or between the two middle levels for k even)."""
    pct, n = _rows_for(levels, item_ids)
    k = len(level_labels)
    colours = DIVERGING_5 if k == 5 else DIVERGING_4
    # y positions, top to bottom, with a gap after the listed bar indices.
    y, pos = [], 0.0
    for i in range(len(item_ids)):
        y.append(-pos)
        pos += 1.0 + (0.6 if i in gaps_after else 0.0)
    y = np.array(y)
    if k % 2:
        mid = k // 2
        left = pct[:, :mid].sum(axis=1) + pct[:, mid] / 2
    else:
        left = pct[:, : k // 2].sum(axis=1)
    fig_h = 1.9 + 0.28 * len(item_ids)
    fig, ax = plt.subplots(figsize=(7.5, fig_h))
    start = -left
    for level in range(k):
        ax.barh(y, pct[:, level], left=start, height=0.75, color=colours[level],
                edgecolor="white", linewidth=0.4, label=level_labels[level])  # fmt: skip
        start = start + pct[:, level]
    ax.axvline(0, color=OKABE_ITO["black"], linewidth=0.8)
    ax.set_yticks(y, tick_labels)
    ax.set_xlim(-100, 100)
    ax.set_xticks(np.arange(-100, 101, 25), [f"{abs(v)}%" for v in range(-100, 101, 25)])
    for yi, ni in zip(y, n, strict=True):
        ax.text(101, yi, f"n={ni}", va="center", ha="left", fontsize=7)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("Share of answers (lower levels left of 0, higher levels right)", fontsize=8)
    legend_h = 0.75  # inches reserved below the axes
    handles, names = ax.get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=min(k, 3), fontsize=7, frameon=False,
               bbox_to_anchor=(0.5, 0.12 / fig_h))  # fmt: skip
    fig.text(0.01, 0.01, RECONSTRUCTED, fontsize=6, va="bottom", color=OKABE_ITO["grey"])
    fig.tight_layout(rect=(0, legend_h / fig_h, 1, 1))
    return fig


def block_figure(levels: pd.DataFrame, items: Items, block: str, short: dict[str, str], *,
                 title: str, stars: set[str] = frozenset()):  # fmt: skip
    """Figure 3 (importance), 4 (frequency, grouped by practice) or 5 (agreement)."""
    table = items.table[items.table["block"] == block]
    ids = table["item_id"].tolist()
    if block == "frequency":
        labels, gaps = [], []
        for i, (sub, ctx) in enumerate(zip(table["subtheme_id"], table["context"], strict=True)):
            mark = " *" if f"freq_{sub}__{ctx}" in stars else ""
            labels.append(f"{short[sub]} - {CONTEXT_LABELS[ctx]}{mark}")
            if ctx == CONTEXTS[-1]:
                gaps.append(i)
        gaps_after = tuple(gaps)
    else:
        labels = [short[s] for s in table["subtheme_id"]]
        gaps_after = ()
    return diverging_bars(levels, ids, labels, items.level_labels(ids[0]), title=title,
                          gaps_after=gaps_after)  # fmt: skip


def starred_items(tests: pd.DataFrame, items: Items, alpha: float) -> set[str]:
    """Item of the higher-scoring context in each significant comparison."""
    out = set()
    for row in tests[tests["p_value"] < alpha].itertuples():
        ctx = row.concern_a if row.mean_a >= row.mean_b else row.concern_b
        out.add(items.practice_item(row.practice, ctx))
    return out


def screening_figure(screening: pd.DataFrame):
    """Funnel of the pooled screening: recruited -> experience -> description -> valid."""
    row = screening[screening["wave"] == "all"].iloc[0]
    stages = ["Recruited", "Passed experience\nquestions", "Passed project\ndescription check"]
    after_exp = row["recruited"] - row["excluded_experience"]
    values = [row["recruited"], after_exp, after_exp - row["excluded_description"]]
    fig, ax = plt.subplots(figsize=(6, 2.6))
    colours = [OKABE_ITO["grey"], OKABE_ITO["sky_blue"], OKABE_ITO["blue"]]
    ax.barh(range(3)[::-1], values, color=colours)
    for y, v in zip(range(3)[::-1], values, strict=True):
        ax.text(v + 1, y, str(int(v)), va="center", fontsize=8)
    ax.set_yticks(range(3)[::-1], stages)
    ax.set_xlim(0, max(values) * 1.15)
    ax.set_xlabel("Respondents")
    ax.set_title(
        f"Survey screening (excluded: {int(row['excluded_experience'])} on experience, "
        f"{int(row['excluded_description'])} on description)",
        fontsize=9,
    )
    fig.text(0.01, 0.01, RECONSTRUCTED, fontsize=6, va="bottom", color=OKABE_ITO["grey"])
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def wave_comparison_figure(comparison: pd.DataFrame, items: Items, short: dict[str, str]):
    """Item means per wave (dot plot), in instrument order."""
    waves = list(dict.fromkeys(comparison["wave"]))
    ids = items.ids
    label = {}
    for r in items.table.itertuples():
        label[r.item_id] = short[r.subtheme_id] + (f" - {CONTEXT_LABELS[r.context]}" if r.context
                                                   else "")  # fmt: skip
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.2 * len(ids)))
    markers = ["o", "s", "^", "D", "v", "P"]
    colours = list(OKABE_ITO.values())
    for i, w in enumerate(waves):
        sub = comparison[comparison["wave"] == w].set_index("item_id").reindex(ids)
        ax.scatter(sub["mean"], -np.arange(len(ids)), s=14, marker=markers[i % len(markers)],
                   color=colours[i % len(colours)], label=w)  # fmt: skip
    ax.set_yticks(-np.arange(len(ids)), [label[i] for i in ids], fontsize=6)
    ax.set_xlabel("Mean answer code")
    ax.legend(fontsize=7, frameon=False)
    ax.set_title("Item means by survey wave", fontsize=10)
    fig.tight_layout()
    return fig
