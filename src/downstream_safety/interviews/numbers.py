"""The interview stage's headline numbers (``numbers.csv``)."""

from __future__ import annotations

import pandas as pd

from downstream_safety.common.number_keys import key
from downstream_safety.common.numbers import numbers_frame
from downstream_safety.instruments.design import Design


def interview_numbers(
    participants: pd.DataFrame,
    sub_counts: pd.DataFrame,
    theme_counts: pd.DataFrame,
    codes_rq: pd.DataFrame,
    summary: pd.DataFrame,
    demographics: pd.DataFrame,
    n_segments: int,
    design: Design,
) -> pd.DataFrame:
    rows: list[tuple[str, float, str]] = [
        ("n_participants", len(participants), "interview participants"),
        ("n_segments", n_segments, "coded key points"),
        ("n_subthemes", len(sub_counts), "subthemes in the codebook"),
        ("n_themes", len(theme_counts), "themes in the codebook"),
        ("codes__total", int(codes_rq["n_codes"].sum()), "codes applied, all RQs"),
    ]
    for r in codes_rq.itertuples(index=False):
        rows.append((key("codes", r.rq), r.n_codes, f"codes applied to {r.rq} key points"))
    for r in sub_counts.itertuples(index=False):
        rows.append(
            (
                key("participants", r.subtheme_id),
                r.n_participants,
                f"participants mentioning {r.subtheme_id}",
            )
        )
    for r in theme_counts.itertuples(index=False):
        rows.append(
            (
                key("participants_theme", r.theme_id),
                r.n_participants,
                f"participants mentioning theme {r.theme_id}",
            )
        )
    for r in summary.itertuples(index=False):
        if pd.notna(r.saturation_interview):
            rows.append(
                (
                    key(f"saturation_{r.method}", r.rq),
                    int(r.saturation_interview),
                    f"saturation interview, {r.method} method, {r.rq} subthemes",
                )
            )
    for r in demographics.itertuples(index=False):
        rows.append((key(r.variable, r.level), r.n, f"participants with {r.variable} = {r.level}"))
    for col in [f.field_id for f in design.participant_fields if f.kind == "count"]:
        rows.append((key(col, "mean"), float(participants[col].mean()), f"mean {col}"))
        rows.append((key(col, "median"), float(participants[col].median()), f"median {col}"))
    return numbers_frame(rows)
