"""Figures 3-5 (diverging stacked bars), the screening funnel and the wave comparison.

Every wave gets the same item order, level colours and axis range, so figures
of different waves can be laid side by side.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from downstream_safety.common.figures import OKABE_ITO, diverging
from downstream_safety.instruments.design import Design
from downstream_safety.survey.load import POOLED
from downstream_safety.survey.platforms import NONRESPONSE_STATUSES


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
    note: str,
    gaps_after: tuple[int, ...] = (),
):
    """Bars centred on the neutral level (or between the two middle levels for k even);
    ``note`` (the config's ``provenance.note``) says where the data come from."""
    pct, n = _rows_for(levels, item_ids)
    k = len(level_labels)
    colours = diverging(k)
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
    # The legend has three columns; rows beyond two (scales of 7+ levels) get more room.
    extra = 0.15 * max(0, -(-k // 3) - 2)
    fig_h = 1.9 + 0.28 * len(item_ids) + extra
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
    legend_h = 0.75 + extra  # inches reserved below the axes
    handles, names = ax.get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=min(k, 3), fontsize=7, frameon=False,
               bbox_to_anchor=(0.5, 0.12 / fig_h))  # fmt: skip
    fig.text(0.01, 0.01, note, fontsize=6, va="bottom", color=OKABE_ITO["grey"])
    fig.tight_layout(rect=(0, legend_h / fig_h, 1, 1))
    return fig


def item_label(design: Design, item_id: str, short: dict[str, str]) -> str:
    """The subtheme's short label, followed by the context's label for a contextual item."""
    row = design.items.set_index("item_id").loc[item_id]
    ctx = row["context"]
    return short[row["subtheme_id"]] + (f" - {design.context_label(ctx)}" if ctx else "")


def block_figure(levels: pd.DataFrame, design: Design, block: str, short: dict[str, str], *,
                 title: str, note: str, stars: set[str] = frozenset()):  # fmt: skip
    """One block's diverging bars (Figures 3-5 of the paper); the items of a practice
    asked in several contexts are grouped, with a gap after each practice's last context."""
    table = design.items_of_block(block)
    ids = table["item_id"].tolist()
    labels = [item_label(design, i, short) + (" *" if i in stars else "") for i in ids]
    subs = table["subtheme_id"].tolist()
    ctxs = table["context"].tolist()
    gaps_after = tuple(
        i for i in range(len(ids))
        if ctxs[i] and (i + 1 == len(ids) or subs[i + 1] != subs[i] or not ctxs[i + 1])
    )  # fmt: skip
    return diverging_bars(levels, ids, labels, list(design.scale_of(ids[0]).labels), title=title,
                          note=note, gaps_after=gaps_after)  # fmt: skip


def starred_items(tests: pd.DataFrame, design: Design, alpha: float) -> set[str]:
    """Item of the higher-scoring context in each significant comparison."""
    out = set()
    for row in tests[tests["p_value"] < alpha].itertuples():
        ctx = row.concern_a if row.mean_a >= row.mean_b else row.concern_b
        out.add(design.practice_item(row.practice, ctx))
    return out


def screening_figure(screening: pd.DataFrame, design: Design, note: str):
    """Funnel of the pooled screening: recruited, then what passed each rule in order."""
    row = screening[screening["wave"] == POOLED].iloc[0]
    stages, values = ["Recruited"], [row["recruited"]]
    platform = [s for s in NONRESPONSE_STATUSES if s in screening.columns]
    if platform:  # previews, spam and unfinished rows of a platform export
        stages.append("Completed the survey")
        values.append(values[-1] - sum(row[s] for s in platform))
    for rule in design.screening:
        stages.append(textwrap.fill(f"Passed {rule.label}", width=18))
        values.append(values[-1] - row[rule.status])
    n = len(values)
    fig, ax = plt.subplots(figsize=(6, 2.6 + 0.3 * (n - 3)))  # 2.6 in for three bars
    # Recruited grey, the final (valid) bar blue, stages in between light blue.
    colours = [OKABE_ITO["grey"], *[OKABE_ITO["sky_blue"]] * (n - 2), OKABE_ITO["blue"]][:n]
    ys = range(n)[::-1]
    ax.barh(ys, values, color=colours)
    for y, v in zip(ys, values, strict=True):
        ax.text(v + 1, y, str(int(v)), va="center", fontsize=8)
    ax.set_yticks(ys, stages)
    ax.set_xlim(0, max(max(values), 1) * 1.15)
    ax.set_xlabel("Respondents")
    excluded = ", ".join(f"{int(row[r.status])} on {r.id}" for r in design.screening)
    ax.set_title("Survey screening" + (f" (excluded: {excluded})" if excluded else ""), fontsize=9)
    fig.text(0.01, 0.01, note, fontsize=6, va="bottom", color=OKABE_ITO["grey"])
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def wave_comparison_figure(comparison: pd.DataFrame, design: Design, short: dict[str, str]):
    """Item means per wave (dot plot), in instrument order."""
    waves = list(dict.fromkeys(comparison["wave"]))
    ids = design.item_ids
    label = {i: item_label(design, i, short) for i in ids}
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
