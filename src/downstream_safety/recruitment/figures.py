"""Recruitment funnel figure."""

from __future__ import annotations

import pandas as pd

from downstream_safety.common.figures import OKABE_ITO, plt

LABELS = {
    "pro_users": "PRO users",
    "org_users": "Organisation users",
    "unique_users": "Unique users",
    "contacted": "Contacted",
    "scheduled": "Scheduled",
    "attended": "Attended",
    "network": "Personal network",
    "participants": "Participants",
}


def funnel_figure(funnel: pd.DataFrame, rates: pd.DataFrame):
    f = funnel.iloc[::-1]
    colours = [
        OKABE_ITO["orange"] if s in ("network", "participants") else OKABE_ITO["blue"]
        for s in f["stage"]
    ]
    fig, ax = plt.subplots(figsize=(5.0, 2.8))
    ax.barh([LABELS.get(s, s) for s in f["stage"]], f["n"], color=colours)
    for y, n in enumerate(f["n"]):
        ax.text(n + 8, y, str(int(n)), va="center", fontsize=7)
    rr = rates.set_index("measure").at["response_rate", "pct"]
    ax.set_xlabel("Users / participants")
    ax.set_title(f"Recruitment funnel (response rate {rr:.2f}% = scheduled / contacted)")
    ax.set_xlim(0, float(f["n"].max()) * 1.12)
    fig.tight_layout()
    return fig
