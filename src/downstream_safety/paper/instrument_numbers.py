"""Counts that come from the instruments themselves (Table 1 question counts,
scale points, codebook sizes, number of survey statements), so that the
paper's design numbers are checked against the committed instruments too."""

from __future__ import annotations

import pandas as pd

from downstream_safety.common.number_keys import key
from downstream_safety.common.numbers import numbers_frame
from downstream_safety.instruments.design import Design
from downstream_safety.paper.claims import quantity_of
from downstream_safety.paper.schemas import BASES, REAL_VERDICTS, STATUSES


def instrument_numbers(protocol: pd.DataFrame, design: Design) -> pd.DataFrame:
    rows: list[tuple[str, float, str]] = []
    protocol = protocol.sort_values("topic_order")
    for topic, n in zip(protocol["topic"], protocol["n_questions"], strict=True):
        rows.append((key("protocol", "questions", topic), n, f"interview questions: {topic}"))
    rows.append(
        ("protocol__questions__total", protocol["n_questions"].sum(), "interview questions")
    )
    for scale_id in sorted(design.scales):
        rows.append(
            (
                key("scale_points", scale_id),
                design.scales[scale_id].n_levels,
                f"answer options of scale {scale_id}",
            )
        )
    themes, subs = design.themes, design.subthemes
    rows.append(("codebook__rqs", len(design.rqs), "research questions"))
    rows.append(("codebook__themes", len(themes), "themes in the codebook"))
    rows.append(("codebook__subthemes", len(subs), "subthemes in the codebook"))
    for rq in sorted(themes["rq"].unique()):
        n_themes, n_subs = (themes["rq"] == rq).sum(), (subs["rq"] == rq).sum()
        rows.append((key("codebook", rq, "themes"), n_themes, f"themes of {rq}"))
        rows.append((key("codebook", rq, "subthemes"), n_subs, f"subthemes of {rq}"))
    items = design.items
    rows.append(("survey_items__n", len(items), "survey statements"))
    for block in sorted(items["block"].unique()):
        rows.append(
            (key("survey_items", block), (items["block"] == block).sum(), f"{block} statements")
        )
    return numbers_frame((k, float(v), d) for k, v, d in rows)


def audit_numbers(claims: pd.DataFrame, audit: pd.DataFrame) -> pd.DataFrame:
    """Summary counts of the self-audit, for the replication report's text.

    ``quantities__<basis>__<status>`` counts distinct computed quantities, so
    a number the paper prints five times counts once.
    """
    status = claims["status"].value_counts()
    rows = [("claims__total", len(claims), "published numbers in the claims registry")]
    for s in STATUSES:
        rows.append((f"claims__{s}", status.get(s, 0), f"claims {s.replace('_', ' ')}"))
    quantity = quantity_of(claims)
    for basis in BASES:
        of_basis = claims["basis"] == basis
        rows.append(
            (
                f"quantities__{basis}",
                quantity[of_basis].nunique(),
                f"distinct published quantities with basis {basis}",
            )
        )
        for s in STATUSES:
            rows.append(
                (
                    f"quantities__{basis}__{s}",
                    quantity[of_basis & (claims["status"] == s)].nunique(),
                    f"distinct quantities with basis {basis}, {s.replace('_', ' ')}",
                )
            )
    real = claims["basis"] == "real"
    rows.append(("real_checks__n", int(real.sum()), "published claims checked against real data"))
    for v in REAL_VERDICTS:
        rows.append(
            (
                f"real_checks__{v}",
                int((real & (claims["status"] == v)).sum()),
                f"claims checked against real data: {v.replace('_', ' ')}",
            )
        )
    for check in ("grim", "grimmer", "statcheck"):
        a = audit[audit["check"] == check]
        rows.append((f"audit__{check}__n", len(a), f"{check} checks run"))
        for result in ("consistent", "inconsistent", "not_applicable"):
            rows.append(
                (
                    f"audit__{check}__{result}",
                    (a["result"] == result).sum(),
                    f"{check} checks: {result.replace('_', ' ')}",
                )
            )
    return numbers_frame((k, float(v), d) for k, v, d in rows)
