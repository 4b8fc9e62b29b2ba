"""The interview stage's headline numbers (``numbers.csv``)."""

from __future__ import annotations

import re

import pandas as pd

from downstream_safety.common.numbers import numbers_frame
from downstream_safety.instruments.design import Design


def _key(text: str) -> str:
    """'CV, NLP' -> 'cv_nlp', '25+' -> '25_plus' (one '_' so '__' stays a separator)."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower().replace("+", " plus")).strip("_")


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
        rows.append((f"codes__{r.rq.lower()}", r.n_codes, f"codes applied to {r.rq} key points"))
    for r in sub_counts.itertuples(index=False):
        rows.append(
            (
                f"participants__{r.subtheme_id}",
                r.n_participants,
                f"participants mentioning {r.subtheme_id}",
            )
        )
    for r in theme_counts.itertuples(index=False):
        rows.append(
            (
                f"participants_theme__{r.theme_id}",
                r.n_participants,
                f"participants mentioning theme {r.theme_id}",
            )
        )
    for r in summary.itertuples(index=False):
        if pd.notna(r.saturation_interview):
            rows.append(
                (
                    f"saturation_{r.method}__{r.rq.lower()}",
                    int(r.saturation_interview),
                    f"saturation interview, {r.method} method, {r.rq} subthemes",
                )
            )
    for r in demographics.itertuples(index=False):
        rows.append(
            (f"{r.variable}__{_key(r.level)}", r.n, f"participants with {r.variable} = {r.level}")
        )
    for col in [f.field_id for f in design.participant_fields if f.kind == "count"]:
        rows.append((f"{col}__mean", float(participants[col].mean()), f"mean {col}"))
        rows.append((f"{col}__median", float(participants[col].median()), f"median {col}"))
    return numbers_frame(rows)
