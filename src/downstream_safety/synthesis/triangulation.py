"""Triangulation: per incident label (a concern), the share of interviewees who
mention it, its survey score and top-two share, and the share of incidents.

A strand the study does not run leaves its columns empty and its series out
of the figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from downstream_safety.common.figures import OKABE_ITO, plt
from downstream_safety.instruments.design import Design, Scale
from downstream_safety.synthesis.scores import subtheme_means


def triangulation_table(
    design: Design,
    counts: pd.DataFrame,
    participants: pd.DataFrame | None,
    n_interviewees: int | None,
    item_summary: pd.DataFrame | None,
) -> pd.DataFrame:
    """One row per incident label, in codebook order."""
    order = design.taxonomy
    part = pd.Series(dtype=float)
    if participants is not None and n_interviewees:
        chosen = participants[participants["rq"] == design.taxonomy_rq]
        part = chosen.set_index("subtheme_id")["n_participants"]
    means = top2 = pd.Series(dtype=float)
    if item_summary is not None:
        means = subtheme_means(design, item_summary, "mean")
        top2 = subtheme_means(design, item_summary, "pct_top2")
    pct = counts.set_index("subtheme_id")["pct"]
    rows = []
    for sub in order:
        rows.append(
            {
                "subtheme_id": sub,
                "pct_interviewees": 100.0 * part[sub] / n_interviewees
                if sub in part.index
                else np.nan,
                "survey_mean": float(means[sub]) if sub in means.index else np.nan,
                "pct_top2": float(top2[sub]) if sub in top2.index else np.nan,
                "pct_incidents": float(pct[sub]),
            }
        )
    return pd.DataFrame(rows)


def concern_scale(design: Design) -> tuple[Scale, str] | None:
    """The scale (the longest, if several) and block of the items measuring the
    concerns, which label the survey series; None when no item measures them."""
    items = [i for s in design.taxonomy for i in design.items_measuring(s)]
    if not items:
        return None
    scale = max((design.scale_of(i) for i in items), key=lambda s: s.n_levels)
    blocks = set(design.items.set_index("item_id").loc[items, "block"])
    return scale, (blocks.pop() if len(blocks) == 1 else "score")


def top2_phrase(scale: Scale) -> str:
    """'Very important', 'Extremely important' -> 'very or extremely important'."""
    a, b = (label.lower().split() for label in scale.labels[-2:])
    n = 0
    while n < min(len(a), len(b)) - 1 and a[-1 - n] == b[-1 - n]:
        n += 1
    if n == 0:
        return f"{' '.join(a)} or {' '.join(b)}"
    return f"{' '.join(a[:-n])} or {' '.join(b[:-n])} {' '.join(a[-n:])}"


def triangulation_figure(
    tri: pd.DataFrame, names: dict[str, str], survey: tuple[Scale, str] | None
):
    """Two panels sharing the concern axis: percentages (interviews, survey top-2,
    incidents) and the survey's mean score on its own scale. Strands without
    values are left out."""
    with_mean = survey is not None and tri["survey_mean"].notna().any()
    fig, axes = plt.subplots(
        1,
        2 if with_mean else 1,
        figsize=(7.0, 3.6),
        sharey=True,
        gridspec_kw={"width_ratios": [3, 1.2]} if with_mean else None,
        layout="constrained",
        squeeze=False,
    )
    ax1 = axes[0][0]
    n = len(tri)
    y = np.arange(n)[::-1]
    h = 0.26
    top2 = f"Survey: {top2_phrase(survey[0])}" if survey is not None else ""
    series = [
        ("pct_interviewees", "Interviewees mentioning it", OKABE_ITO["orange"]),
        ("pct_top2", top2, OKABE_ITO["sky_blue"]),
        ("pct_incidents", "AI incidents labelled with it", OKABE_ITO["black"]),
    ]
    series = [s for s in series if tri[s[0]].notna().any()]
    for k, (col, label, colour) in enumerate(series):
        offset = (len(series) - 1) / 2 - k
        ax1.barh(y + offset * h, tri[col].fillna(0), height=h, color=colour, label=label)
    ax1.set_yticks(y, [names.get(s, s) for s in tri["subtheme_id"]])
    ax1.set_xlabel("Percent")
    ax1.set_xlim(0, 100)
    fig.legend(frameon=False, loc="outside upper center", ncol=len(series), fontsize=7)
    if with_mean:
        scale, block = survey
        k = scale.n_levels
        ax2 = axes[0][1]
        ax2.scatter(tri["survey_mean"], y, color=OKABE_ITO["blue"], s=14, zorder=3)
        ax2.set_xlim(1, k)
        ax2.set_xticks(list(range(1, k + 1)))
        ax2.set_xlabel(f"Survey mean {block} (1-{k})")
        ax2.grid(axis="x", color="#dddddd", lw=0.5)
    return fig
