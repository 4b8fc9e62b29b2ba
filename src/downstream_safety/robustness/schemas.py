"""Schemas of the robustness stage's tables."""

from __future__ import annotations

import pandera.pandas as pa

from downstream_safety.robustness.multiverse import CHOICES, VERDICTS

ID = r"^[A-Za-z0-9_.;:>-]+$"
_share = pa.Column(float, pa.Check.in_range(0, 1))


def _flag(description: str) -> pa.Column:
    """A boolean column read back from CSV text: coercing the text "False" with
    bool() would give True, so the words are parsed first."""
    words = {"True": True, "False": False}
    return pa.Column(
        bool,
        parsers=pa.Parser(lambda s: s.map(lambda v: words.get(v, v) if isinstance(v, str) else v)),
        description=description,
    )


CONCLUSIONS = pa.DataFrameSchema(
    {
        "conclusion_id": pa.Column(str, pa.Check.str_matches(ID), unique=True),
        "claim_id": pa.Column(str, pa.Check.str_matches(ID)),
        "family": pa.Column(
            str,
            pa.Check.isin(["paired_test", "ranking", "saturation", "agreement", "coder_agreement"]),
        ),
        "conclusion": pa.Column(str),
        "expected": pa.Column(str, nullable=True),
    },
    strict=True,
    coerce=True,
    name="robustness_conclusions",
    description="Each inferential conclusion as the pipeline's own tables draw it.",
)

SPECIFICATIONS = pa.DataFrameSchema(
    {
        "conclusion_id": pa.Column(str, pa.Check.str_matches(ID)),
        "claim_id": pa.Column(str, pa.Check.str_matches(ID)),
        "family": pa.Column(str),
        "specification": pa.Column(str),
        "paper_specification": _flag("every choice that applies is the paper's"),
        **{c: pa.Column(str, nullable=True) for c in CHOICES},
        "statistic": pa.Column(float, nullable=True),
        "p_value": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        "holds": _flag("the conclusion holds under this specification"),
    },
    strict=True,
    coerce=True,
    unique=["conclusion_id", "specification"],
    name="robustness_specifications",
    description="One row per conclusion and specification (combination of analysis choices).",
)

SUMMARY = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(str, pa.Check.str_matches(ID), unique=True),
        "conclusion": pa.Column(str),
        "n_specifications": pa.Column(int, pa.Check.ge(1)),
        "n_hold": pa.Column(int, pa.Check.ge(0)),
        "share_hold": _share,
        "verdict": pa.Column(str, pa.Check.isin(VERDICTS)),
    },
    strict=True,
    coerce=True,
    name="robustness_summary",
    description="Per conclusion: in how many specifications it holds, and the verdict.",
)

# How an interval was computed (intervals.csv's method column). effect_size_r is
# |z|/sqrt(n), folded at zero, where BCa fails; its interval is of the signed r.
BCA = "BCa"
BCA_SIGNED_R = "BCa of signed r = z/sqrt(n)"

INTERVALS = pa.DataFrameSchema(
    {
        "quantity": pa.Column(str, pa.Check.str_matches(r"^[A-Za-z0-9_.+-]+$"), unique=True),
        "estimate": pa.Column(float, nullable=True),
        "ci_low": pa.Column(float, nullable=True),
        "ci_high": pa.Column(float, nullable=True),
        "method": pa.Column(
            str,
            pa.Check.isin([BCA, BCA_SIGNED_R]),
            description="BCa; for effect_size_r, BCa of the signed r (its estimate is signed "
            "too: + when the first context is answered higher)",
        ),
        "level": pa.Column(float, pa.Check.in_range(0, 1)),
        "n_resamples": pa.Column(int, pa.Check.ge(1)),
    },
    strict=True,
    coerce=True,
    name="robustness_intervals",
    description="Bootstrap (BCa) intervals of survey, incident and agreement quantities.",
)

ORDER_POINTS = pa.DataFrameSchema(
    {
        "order": pa.Column(int, pa.Check.ge(0)),
        "rq": pa.Column(str),
        "method": pa.Column(str),
        "saturation_interview": pa.Column("Int64", pa.Check.ge(1), nullable=True),
    },
    strict=True,
    coerce=True,
    name="robustness_order_points",
)

SATURATION_ORDERS = pa.DataFrameSchema(
    {
        "rq": pa.Column(str),
        "method": pa.Column(str),
        "saturation_interview": pa.Column(
            "Int64", pa.Check.ge(1), nullable=True, description="empty when not reached"
        ),
        "n_orders": pa.Column(int, pa.Check.ge(1)),
        "share": _share,
    },
    strict=True,
    coerce=True,
    unique=["rq", "method", "saturation_interview"],
    name="robustness_saturation_orders",
    description="Distribution of the saturation interview over random interview orders.",
)

TABLES = {
    "data/processed/robustness/conclusions.csv": CONCLUSIONS,
    "data/processed/robustness/specifications.csv": SPECIFICATIONS,
    "data/processed/robustness/summary.csv": SUMMARY,
    "data/processed/robustness/intervals.csv": INTERVALS,
    "data/processed/robustness/saturation_orders.csv": SATURATION_ORDERS,
}
