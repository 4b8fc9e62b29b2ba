"""The stage's figures: incident frequencies, incidents per year and the real-data checks."""

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


def real_checks_figure(shares: pd.DataFrame, checks: pd.DataFrame, names: dict[str, str]):
    """Per label: the published share of labels (diamond) beside the real
    MIT-crosswalk share, drawn as the range of the three variants with a dot
    for the crosswalk as it is. Labels no MIT subdomain maps to are marked."""
    labels = list(dict.fromkeys(shares["subtheme_id"]))
    wide = shares.pivot(index="subtheme_id", columns="variant", values="pct_labels")
    mapped = shares.groupby("subtheme_id")["mapped"].any()
    pub = (
        checks[(checks["subtheme_id"] != "") & checks["published_value"].notna()]
        .drop_duplicates("subtheme_id")
        .set_index("subtheme_id")["published_value"]
    )
    fig, ax = plt.subplots(figsize=(6.0, 3.2))
    y = np.arange(len(labels))[::-1]
    for yi, lab in zip(y, labels, strict=True):
        if mapped.get(lab, False):
            lo, hi = float(wide.loc[lab].min()), float(wide.loc[lab].max())
            ax.plot(
                [lo, hi],
                [yi - 0.12, yi - 0.12],
                color=OKABE_ITO["blue"],
                lw=4,
                solid_capstyle="butt",
                alpha=0.6,
            )
            ax.plot(float(wide.loc[lab, "as_is"]), yi - 0.12, "o", color=OKABE_ITO["blue"], ms=4)
        else:
            ax.text(
                0.5,
                yi - 0.12,
                "no MIT subdomain maps here",
                fontsize=6,
                va="center",
                color=OKABE_ITO["grey"],
            )
        if lab in pub.index:
            ax.plot(float(pub[lab]), yi + 0.12, "D", color=OKABE_ITO["vermillion"], ms=4)
    ax.set_yticks(y, [names.get(s, s) for s in labels])
    ax.plot([], [], "D", color=OKABE_ITO["vermillion"], ms=4, label="published")
    ax.plot([], [], color=OKABE_ITO["blue"], lw=4, alpha=0.6, label="real: crosswalk variants")
    ax.set_xlabel("Share of all labels (%)")
    ax.set_xlim(0, 50)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    return fig
