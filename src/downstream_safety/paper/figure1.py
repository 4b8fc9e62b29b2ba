"""Figure 1 (study design), drawn from the workflow rather than by hand.

The boxes are the stages that run (passed in by the rule), in pipeline order;
the counts inside them are read from the stages' numbers files, so the figure
changes when the data change. A stage switched off is left out with its
arrows; a number that is missing prints as 'n/a'. Without a claims registry
the synthesis box says so instead of counting audited claims.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from downstream_safety.common.figures import OKABE_ITO
from downstream_safety.paper.macros import render_value

# stage -> (title, column, row, lines); each line is a template over keys.
STAGES: dict[str, tuple[str, float, float, list[str]]] = {
    "recruitment": (
        "Recruitment",
        0,
        0,
        [
            "{funnel__contacted} contacted",
            "{funnel__attended} attended",
            "+ {funnel__network} via network",
        ],
    ),
    "interviews": (
        "Interviews",
        1,
        0,
        [
            "{n_participants} participants",
            "{codes__total} codes",
            "{codebook__subthemes} subthemes",
        ],
    ),
    "survey": (
        "Survey",
        2,
        1,
        ["{screen__recruited} recruited", "{screen__valid} valid", "{survey_items__n} statements"],
    ),
    "incidents": (
        "AI incidents",
        2,
        -1,
        ["{incidents__n} incidents", "kappa {kappa__calibration}"],
    ),
    "paper": (
        "Synthesis",
        3,
        0,
        # Distinct quantities by basis: agreement on reconstructed records checks
        # the code; only real data would be evidence of replication.
        [
            "Table 3",
            "{quantities__reconstructed} quantities from",
            "reconstructed data;",
            "{real_checks__n} claims checked on",
            "real AIID labels:",
            "{real_checks__corroborated} corroborated,",
            "{real_checks__contradicted} contradicted,",
            "{real_checks__mixed} mixed,",
            "{real_checks__not_checkable} not checkable",
        ],
    ),
}
EDGES = [
    ("recruitment", "interviews", "participants"),
    ("interviews", "survey", "subthemes to items"),
    ("interviews", "incidents", "concerns to labels"),
    ("survey", "paper", "scores"),
    ("incidents", "paper", "counts"),
    ("interviews", "paper", "mentions"),
]
COLOURS = {
    "recruitment": OKABE_ITO["grey"],
    "interviews": OKABE_ITO["blue"],
    "survey": OKABE_ITO["orange"],
    "incidents": OKABE_ITO["vermillion"],
    "paper": OKABE_ITO["green"],
}
BOX_W, BOX_H = 1.0, 0.72
COL_STEP, ROW_STEP = 1.45, 0.9
LINE_H = 0.095  # height of one line of box text (data units)
TITLE_H = 0.22  # the title's band at the top of a box


def fill(template: str, values: dict[str, float]) -> str:
    """Replace each {key} by the rendered number, or 'n/a' if it is missing."""
    out = template
    while "{" in out:
        start = out.index("{")
        end = out.index("}", start)
        key = out[start + 1 : end]
        text = render_value(key, values[key]) if key in values else "n/a"
        out = out[:start] + text + out[end + 1 :]
    return out


UNAUDITED = ["Table 3", "no claims registry"]


def draw_study_design(stages: list[str], values: dict[str, float], *, audited: bool = True):
    shown = [s for s in STAGES if s in stages]
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    ax.set_axis_off()
    centre = {}
    for stage in shown:
        title, col, row, lines = STAGES[stage]
        if stage == "paper" and not audited:
            lines = UNAUDITED
        x, y = col * COL_STEP, row * ROW_STEP
        centre[stage] = (x, y)
        # A box with many lines grows in height around its centre, its text
        # hanging below the title.
        tall = len(lines) > 4
        height = TITLE_H + LINE_H * len(lines) + 0.16 if tall else BOX_H
        ax.add_patch(
            FancyBboxPatch(
                (x - BOX_W / 2, y - height / 2),
                BOX_W,
                height,
                boxstyle="round,pad=0.02",
                facecolor="white",
                edgecolor=COLOURS[stage],
                linewidth=1.5,
            )
        )
        ax.text(x, y + height / 2 - 0.12, title, ha="center", va="center", weight="bold", size=8)
        body = "\n".join(fill(t, values) for t in lines)
        if tall:
            top = y + height / 2 - TITLE_H
            ax.text(x, top, body, ha="center", va="top", size=6.5, linespacing=1.3)
        else:
            ax.text(x, y - 0.08, body, ha="center", va="center", size=6.5, linespacing=1.3)
    for a, b, label in EDGES:
        if a not in centre or b not in centre:
            continue
        (xa, ya), (xb, yb) = centre[a], centre[b]
        arrow = FancyArrowPatch(
            (xa + BOX_W / 2, ya),
            (xb - BOX_W / 2, yb),
            arrowstyle="-|>",
            mutation_scale=9,
            color=OKABE_ITO["black"],
            linewidth=0.8,
            shrinkA=2,
            shrinkB=2,
        )
        ax.add_patch(arrow)
        ax.text(
            (xa + xb) / 2,
            (ya + yb) / 2,
            label,
            ha="center",
            va="center",
            size=6,
            color=OKABE_ITO["black"],
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )
    ax.set_xlim(-BOX_W / 2 - 0.05, 3 * COL_STEP + BOX_W / 2 + 0.05)
    ax.set_ylim(-ROW_STEP - BOX_H / 2 - 0.05, ROW_STEP + BOX_H / 2 + 0.05)
    ax.set_aspect("equal")
    return fig
