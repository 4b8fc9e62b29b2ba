"""Specification curve, forest plot of the intervals, saturation over orders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from downstream_safety.common.figures import OKABE_ITO, plt


def specification_curve(specs: pd.DataFrame, alpha: float):
    """Every paired-test specification's p-value, sorted, per comparison that is
    significant in at least one specification; the study's own specification is marked."""
    sub = specs[specs["family"] == "paired_test"]
    smallest = sub.groupby("conclusion_id", sort=False)["p_value"].min()
    shown = smallest[smallest < alpha].index.tolist()
    fig, ax = plt.subplots(figsize=(7.0, 4.0))
    for k, cid in enumerate(shown):
        rows = sub[sub["conclusion_id"] == cid].sort_values("p_value", kind="stable")
        x = np.arange(len(rows))
        colour = list(OKABE_ITO.values())[k % len(OKABE_ITO)]
        ax.plot(x, rows["p_value"], ".", ms=3, color=colour, label=cid.removeprefix("p__"))
        paper = rows["paper_specification"].to_numpy()
        ax.plot(x[paper], rows["p_value"].to_numpy()[paper], "D", ms=6, mfc="none", color=colour)
    ax.axhline(alpha, color="0.3", lw=0.8, ls="--")
    ax.set_yscale("log")
    ax.set_xlabel("specification (sorted by p-value)")
    ax.set_ylabel("p-value (after the specification's correction)")
    ax.set_title("Paired tests across specifications (diamond: the paper's)")
    ax.legend(fontsize=6, loc="lower right", ncol=1)
    fig.tight_layout()
    return fig


def forest(intervals: pd.DataFrame, kinds: list[str]):
    """One panel per kind of quantity (its id prefix), estimate and interval per
    row; ``kinds`` picks the panels (the table has every quantity)."""
    groups = [(k, intervals[intervals["quantity"].str.startswith(k + "__")]) for k in kinds]
    groups = [(k, g) for k, g in groups if len(g)]
    heights = [max(len(g), 3) for _, g in groups]
    fig, axes = plt.subplots(
        len(groups),
        1,
        figsize=(7.0, 0.07 * sum(heights) + 0.6 * len(groups)),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    for ax, (kind, g) in zip(axes[:, 0], groups, strict=True):
        y = np.arange(len(g))[::-1]
        ax.hlines(y, g["ci_low"], g["ci_high"], color=OKABE_ITO["blue"], lw=1)
        ax.plot(g["estimate"], y, "o", ms=2, color="black")
        ax.set_yticks(y, [q.removeprefix(kind + "__") for q in g["quantity"]], fontsize=4)
        ax.set_title(kind, fontsize=8)
        ax.tick_params(axis="x", labelsize=6)
    fig.tight_layout()
    return fig


def saturation_histograms(orders: pd.DataFrame, actual: pd.DataFrame):
    """Share of random orders per saturation interview; the real order's point dashed."""
    rqs = list(dict.fromkeys(orders["rq"]))
    methods = list(dict.fromkeys(orders["method"]))
    fig, axes = plt.subplots(
        len(methods),
        len(rqs),
        figsize=(2.4 * len(rqs), 2.0 * len(methods)),
        sharex=True,
        squeeze=False,
    )
    real = actual.set_index(["rq", "method"])["saturation_interview"]
    for i, m in enumerate(methods):
        for j, rq in enumerate(rqs):
            ax = axes[i, j]
            g = orders[(orders["rq"] == rq) & (orders["method"] == m)].dropna(
                subset=["saturation_interview"]
            )
            ax.bar(g["saturation_interview"].astype(int), g["share"], color=OKABE_ITO["blue"])
            point = real.get((rq, m))
            if point is not None and not pd.isna(point):
                ax.axvline(int(point), color=OKABE_ITO["vermillion"], ls="--", lw=1)
            ax.set_title(f"{rq}, {m}", fontsize=8)
            ax.tick_params(labelsize=6)
        axes[i, 0].set_ylabel("share of orders", fontsize=7)
    for ax in axes[-1]:
        ax.set_xlabel("saturation interview", fontsize=7)
    fig.tight_layout()
    return fig
