"""The stage's figures: incident frequencies, incidents per year, triangulation."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from downstream_safety.common.figures import OKABE_ITO, plt


def frequency_figure(counts: pd.DataFrame, names: dict[str, str]):
    """Horizontal bars, codebook order top to bottom, count and percent printed."""
    fig, ax = plt.subplots(figsize=(6.0, 3.0))
    y = np.arange(len(counts))[::-1]
    ax.barh(y, counts["pct"], color=OKABE_ITO["blue"])
    ax.set_yticks(y, [names.get(s, s) for s in counts["subtheme_id"]])
    for yi, n, p in zip(y, counts["n_incidents"], counts["pct"], strict=True):
        ax.text(p + 0.8, yi, f"{n} ({p:.1f}%)", va="center", fontsize=7)
    ax.set_xlabel("Share of annotated incidents (%)")
    ax.set_xlim(0, max(60.0, float(counts["pct"].max()) + 15))
    return fig


def per_year_figure(
    per_year: pd.DataFrame, names: dict[str, str], order: list[str], pool_before: int = 2010
):
    """Small multiples, one panel per subtheme; the sparse early years are pooled
    into one bar so the recent growth stays readable."""
    d = per_year.copy()
    d["bin"] = d["year"].clip(lower=pool_before - 1)
    bins = sorted(d["bin"].unique())
    ticks = [f"<{pool_before}" if b < pool_before else str(b) for b in bins]
    ncol = 4
    nrow = int(np.ceil(len(order) / ncol))
    fig, axes = plt.subplots(
        nrow,
        ncol,
        figsize=(7.0, 1.8 * nrow + 0.5),
        sharex=True,
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    x = np.arange(len(bins))
    for k, sub in enumerate(order):
        ax = axes[k // ncol][k % ncol]
        vals = (
            d[d["subtheme_id"] == sub]
            .groupby("bin")["n_incidents"]
            .sum()
            .reindex(bins, fill_value=0)
        )
        ax.bar(x, vals.to_numpy(), color=OKABE_ITO["blue"], width=0.8)
        ax.set_title(textwrap.fill(names.get(sub, sub), 22), fontsize=7.5)
    for ax in axes.ravel()[len(order) :]:
        ax.set_visible(False)
    shown = [i for i, b in enumerate(bins) if i == 0 or (b % 5 == 0 and b > pool_before)]
    for ax in axes[-1]:
        ax.set_xticks(x[shown], [ticks[i] for i in shown], fontsize=6.5)
    for row in axes:
        row[0].set_ylabel("Incidents")
    fig.supxlabel("Year of the incident", fontsize=9)
    return fig


def triangulation_table(
    counts: pd.DataFrame,
    participants: pd.DataFrame,
    n_interviewees: int,
    item_summary: pd.DataFrame,
    order: list[str],
) -> pd.DataFrame:
    """Per concern: % of interviewees mentioning it, survey mean and top-2 %, % of incidents."""
    part = participants[participants["rq"] == "RQ1"].set_index("subtheme_id")["n_participants"]
    items = item_summary[item_summary["wave"] == "all"].set_index("item_id")
    rows = []
    for sub in order:
        item = f"imp_{sub}"
        rows.append(
            {
                "subtheme_id": sub,
                "pct_interviewees": 100.0 * part[sub] / n_interviewees
                if sub in part.index
                else np.nan,
                "survey_mean": float(items.at[item, "mean"]) if item in items.index else np.nan,
                "pct_top2": float(items.at[item, "pct_top2"]) if item in items.index else np.nan,
                "pct_incidents": float(counts.set_index("subtheme_id").at[sub, "pct"]),
            }
        )
    return pd.DataFrame(rows)


def triangulation_figure(tri: pd.DataFrame, names: dict[str, str]):
    """Two panels sharing the concern axis: percentages (interviews, survey top-2,
    incidents) and the survey's mean importance on its own 1-5 scale."""
    fig, (ax1, ax2) = plt.subplots(
        1,
        2,
        figsize=(7.0, 3.6),
        sharey=True,
        gridspec_kw={"width_ratios": [3, 1.2]},
        layout="constrained",
    )
    n = len(tri)
    y = np.arange(n)[::-1]
    h = 0.26
    series = [
        ("pct_interviewees", "Interviewees mentioning it", OKABE_ITO["orange"]),
        ("pct_top2", "Survey: very or extremely important", OKABE_ITO["sky_blue"]),
        ("pct_incidents", "AI incidents labelled with it", OKABE_ITO["black"]),
    ]
    for k, (col, label, colour) in enumerate(series):
        ax1.barh(y + (1 - k) * h, tri[col].fillna(0), height=h, color=colour, label=label)
    ax1.set_yticks(y, [names.get(s, s) for s in tri["subtheme_id"]])
    ax1.set_xlabel("Percent")
    ax1.set_xlim(0, 100)
    fig.legend(frameon=False, loc="outside upper center", ncol=3, fontsize=7)
    ax2.scatter(tri["survey_mean"], y, color=OKABE_ITO["blue"], s=14, zorder=3)
    ax2.set_xlim(1, 5)
    ax2.set_xticks([1, 2, 3, 4, 5])
    ax2.set_xlabel("Survey mean importance (1-5)")
    ax2.grid(axis="x", color="#dddddd", lw=0.5)
    return fig
