"""Choice of the coded example drawn in Figure 2 (kept free of matplotlib so the
parse-time check can use it cheaply)."""

from __future__ import annotations

import pandas as pd

from downstream_safety.common.errors import InputError


def pick_example(
    segments: pd.DataFrame, sub_counts: pd.DataFrame, segment_id: str | None = None
) -> pd.Series:
    """The configured segment; without one, the first key point (interview order,
    segment id) of the subtheme most participants mention."""
    if segment_id is not None:
        hit = segments[segments["segment_id"] == segment_id]
        if hit.empty:
            raise InputError(
                "config/config.yaml",
                f"interviews.figure2_example {segment_id!r} is not a segment id of the "
                "coded interviews",
                column="interviews.figure2_example",
                fix="set it to a segment_id of the coded interviews, or to null to pick "
                "the example automatically",
            )
        return hit.iloc[0]
    top = sub_counts.sort_values("n_participants", ascending=False, kind="stable").iloc[0]
    mine = segments[segments["subtheme_id"] == top["subtheme_id"]]
    return mine.sort_values(["interview_order", "segment_id"]).iloc[0]
