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
    agreement: pd.DataFrame | None = None,
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
    if agreement is not None:
        rows += agreement_numbers(agreement)
    return numbers_frame(rows)


def agreement_numbers(agreement: pd.DataFrame) -> list[tuple[str, float, str]]:
    """Pooled kappa and percentage agreement per subtheme and code, and the presence
    alpha; with more than two coders, the pair's coder names end the key."""
    from downstream_safety.interviews.coder_agreement import POOLED

    pooled = agreement[agreement["source"] == POOLED]
    pairs = pooled[["coder_a", "coder_b"]].drop_duplicates()
    several = len(pairs) > 1
    rows: list[tuple[str, float, str]] = []
    prefixes = {"subtheme": ("coder_kappa", "coder_pct"), "code": ("coder_kappa_code",
                                                                   "coder_pct_code")}  # fmt: skip
    for r in pooled.itertuples(index=False):
        kappa_prefix, pct_prefix = prefixes[r.level]
        pair = (r.coder_a, r.coder_b) if several else ()
        between = f"{r.coder_a} and {r.coder_b}"
        rows.append(
            (key(kappa_prefix, r.unit, *pair), r.kappa,
             f"Cohen's kappa over characters, {r.level} {r.unit}, {between}, pooled over sources")
        )  # fmt: skip
        rows.append(
            (key(pct_prefix, r.unit, *pair), r.pct_agreement,
             f"characters coded alike (%), {r.level} {r.unit}, {between}, pooled over sources")
        )  # fmt: skip
    alpha = agreement.loc[agreement["level"] == "presence", "alpha"]
    if len(alpha) and pd.notna(alpha.iloc[0]):
        rows.append(
            (key("coder_alpha", "presence"), float(alpha.iloc[0]),
             "Krippendorff's alpha (nominal), participant x subtheme presence, all coders")
        )  # fmt: skip
    return rows
