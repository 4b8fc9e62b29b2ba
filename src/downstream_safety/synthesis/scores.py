"""Per-subtheme survey scores: every item that measures a subtheme counts for it."""

from __future__ import annotations

import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.instruments.design import Design


def pick_wave(item_summary: pd.DataFrame, wave: str, file: str) -> pd.DataFrame:
    """Rows of ``wave``; a single-wave summary without pooled rows uses its one wave."""
    waves = sorted(item_summary["wave"].unique())
    if wave not in waves:
        if len(waves) == 1:
            wave = waves[0]
        else:
            raise InputError(
                file,
                f"no rows for wave {wave!r}",
                column="wave",
                values=waves,
                fix="set paper.survey_wave to one of these waves, or write pooled rows "
                "with wave 'all'",
            )
    return item_summary[item_summary["wave"] == wave]


def subtheme_means(design: Design, item_summary: pd.DataFrame, column: str = "mean") -> pd.Series:
    """subtheme_id -> unweighted mean of ``column`` over the items measuring it.

    Items without a value (nobody answered) are left out; a subtheme no item
    measures is absent from the result.
    """
    values = item_summary.set_index("item_id")[column]
    items = design.items[["item_id", "subtheme_id"]]
    merged = items.assign(value=items["item_id"].map(values)).dropna(subset=["value"])
    return merged.groupby("subtheme_id", sort=True)["value"].mean()


def score_range(design: Design, subthemes: list[str]) -> int:
    """Highest code of the scales of the items measuring ``subthemes`` (the top of a
    score's range); with no such item, the largest scale of the instrument."""
    ks = [design.scale_of(i).n_levels for s in subthemes for i in design.items_measuring(s)]
    return max(ks or [s.n_levels for s in design.scales.values()] or [2])
