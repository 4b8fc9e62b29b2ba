"""Figure 2 (the coding chain) and the saturation curves."""

from __future__ import annotations

import textwrap

import pandas as pd

from downstream_safety.common.figures import OKABE_ITO, plt
from downstream_safety.instruments.design import Design
from downstream_safety.interviews.example import pick_example  # noqa: F401 (re-export)

# Colours of the research questions by position (cycled beyond eight).
RQ_PALETTE = [
    OKABE_ITO[c]
    for c in ["blue", "orange", "green", "vermillion", "sky_blue", "purple", "yellow", "black"]
]
# Saturation figure: at least the paper's 7.2-inch width, 2.4 inches per panel beyond three.
MIN_WIDTH, PANEL_WIDTH = 7.2, 2.4


def rq_colours(rqs: list[str]) -> dict[str, str]:
    """Colour of each research question, by its position in the design."""
    return {rq: RQ_PALETTE[i % len(RQ_PALETTE)] for i, rq in enumerate(rqs)}


def coding_chain_figure(
    example: pd.Series, codes: pd.DataFrame, sub_counts: pd.DataFrame, codebook: Design
):
    """Key point -> code -> subtheme -> theme for one example, with the sizes of each level."""
    code = codes.set_index("code_id").loc[example["code_id"]]
    subs = codebook.subthemes.set_index("subtheme_id")
    sub = subs.loc[example["subtheme_id"]]
    theme = codebook.themes.set_index("theme_id").loc[sub["theme_id"]]
    used = codes[codes["n_segments"] > 0]
    n_sub_codes = int((used["subtheme_id"] == example["subtheme_id"]).sum())
    n_theme_subs = int((codebook.subthemes["theme_id"] == sub["theme_id"]).sum())
    n_part = int(sub_counts.set_index("subtheme_id").at[example["subtheme_id"], "n_participants"])
    n_theme_codes = int((used["theme_id"] == sub["theme_id"]).sum())
    boxes = [
        (
            "Key point",
            f"{example['participant_id']}: \u201c{example['key_point']}\u201d",
            f"segment {example['segment_id']}",
        ),
        ("Code", code["code_label"], f"{example['code_id']}"),
        (
            "Subtheme",
            sub["subtheme_name"],
            f"{n_sub_codes} codes, {n_part} participants",
        ),
        (
            f"Theme ({sub['rq']})",
            theme["theme_name"],
            f"{n_theme_subs} subthemes, {n_theme_codes} codes",
        ),
    ]
    colour = rq_colours(codebook.rqs).get(sub["rq"], OKABE_ITO["grey"])
    fig, ax = plt.subplots(figsize=(7.2, 2.4))
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 1)
    ax.axis("off")
    for i, (title, body, foot) in enumerate(boxes):
        x = i + 0.05
        ax.add_patch(
            plt.Rectangle((x, 0.08), 0.8, 0.84, facecolor="white", edgecolor=colour, linewidth=1.4)
        )
        ax.text(x + 0.4, 0.85, title, ha="center", va="top", fontsize=9, fontweight="bold")
        ax.text(
            x + 0.4,
            0.52,
            textwrap.fill(str(body), 20),
            ha="center",
            va="center",
            fontsize=7.5,
        )
        ax.text(x + 0.4, 0.13, foot, ha="center", va="bottom", fontsize=6.5, color="#555555")
        if i < len(boxes) - 1:
            ax.annotate(
                "",
                xy=(i + 1.04, 0.5),
                xytext=(x + 0.81, 0.5),
                arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.4},
            )
    return fig


def saturation_figure(curves: pd.DataFrame, summary: pd.DataFrame, rqs: list[str]):
    """Cumulative share of the final subthemes and codes per interview, one panel per RQ."""
    colours = rq_colours(rqs)
    n = len(rqs)
    fig, axes = plt.subplots(
        1, n, figsize=(max(MIN_WIDTH, PANEL_WIDTH * n), 2.4), sharey=True, squeeze=False
    )
    axes = axes[0]
    for ax, rq in zip(axes, rqs, strict=True):
        c = curves[curves["rq"] == rq]
        colour = colours[rq]
        ax.plot(
            c["interview_order"],
            c["pct_subthemes"],
            color=colour,
            marker="o",
            ms=3,
            label="subthemes",
        )
        ax.plot(c["interview_order"], c["pct_codes"], color=colour, ls="--", lw=1, label="codes")
        point = summary[(summary["rq"] == rq) & (summary["method"] == "guest2006")]
        if len(point) and pd.notna(point["saturation_interview"].iloc[0]):
            x = int(point["saturation_interview"].iloc[0])
            ax.axvline(x, color=OKABE_ITO["grey"], lw=0.8, ls=":")
            ax.text(x + 0.3, 5, f"saturation\n(interview {x})", fontsize=6.5, va="bottom")
        ax.set_title(rq)
        ax.set_xlabel("Interview (order conducted)")
        ax.set_ylim(0, 105)
        ax.set_xticks(range(1, int(c["interview_order"].max()) + 1, 2))
    axes[0].set_ylabel("% of final set reached")
    axes[0].legend(loc="upper left", frameon=False)
    fig.tight_layout()
    return fig
