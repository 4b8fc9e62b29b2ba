"""Schemas of the paper stage's tables: the published claims (input) and the
self-audit, Table 3 and summary counts (outputs)."""

from __future__ import annotations

import pandera.pandas as pa

from downstream_safety.common.numbers import NUMBERS

CLAIM_ID = r"^(C[0-9]{3}[a-z]?|T3_(participants|survey|incidents)__[a-z][a-z0-9_]*)$"
# A numbers.csv key, or one of the few expressions claims.evaluate understands.
KEY_EXPR = r"^$|^[a-z][a-z0-9_]*$|^(max|min|sum|sub|rank)\([a-z0-9_,]+\)$"
UNITS = [
    "count",
    "%",
    "mean",
    "p",
    "effect size",
    "kappa",
    "hour",
    "minutes",
    "USD",
    "scale points",
    "scale",
    "interview #",
    "fraction",
    "rank",
    "date",
    "none",
]
STATUSES = ["reproduced", "differs", "not_computable"]
CHECKS = ["grim", "grimmer", "statcheck"]
RESULTS = ["consistent", "inconsistent", "not_applicable"]

PUBLISHED_CLAIMS = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(
            str,
            pa.Check.str_matches(CLAIM_ID),
            unique=True,
            description="C001..C140 (registry) or T3_<column>__<subtheme_id> (Table 3 cell)",
            metadata={"fix": "use the registry id or T3_participants|survey|incidents__<id>"},
        ),
        "section": pa.Column(str, pa.Check.str_length(min_value=1)),
        "quantity": pa.Column(str, pa.Check.str_length(min_value=1)),
        "published": pa.Column(
            str,
            pa.Check.str_length(min_value=1),
            description="the value exactly as printed (trailing zeros kept)",
        ),
        "unit": pa.Column(str, pa.Check.isin(UNITS), description=f"one of {', '.join(UNITS)}"),
        "number_key": pa.Column(
            str,
            pa.Check.str_matches(KEY_EXPR),
            description="a numbers.csv key, max/min/sum/sub/rank(key,key,...), or empty",
            metadata={"fix": "write a key of a numbers.csv file, or leave it empty"},
        ),
        "note": pa.Column(str),
    },
    strict=True,
    coerce=True,
    name="published_claims",
    description="Every number the paper prints, as printed (data/raw/published/claims.csv)",
)

GRIM_SAMPLES = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(str, pa.Check.str_matches(CLAIM_ID), unique=True),
        "n": pa.Column(int, pa.Check.ge(1), description="sample size the paper states"),
        "items": pa.Column(int, pa.Check.ge(1), description="items averaged per respondent"),
        "basis": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    coerce=True,
    name="grim_samples",
    description="Published sample size behind each published mean and percentage",
)

CLAIMS = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(str, pa.Check.str_matches(CLAIM_ID), unique=True),
        "section": pa.Column(str),
        "quantity": pa.Column(str),
        "published": pa.Column(str),
        "computed": pa.Column(str, description="computed value at the published precision"),
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
        "note": pa.Column(str),
    },
    checks=pa.Check(
        lambda df: (df["status"] == "reproduced") | (df["note"].str.len() > 0),
        error="every claim that is not reproduced has a note",
    ),
    strict=True,
    coerce=True,
    name="claims",
    description="Published numbers compared with the package's numbers (paper/claims.csv)",
)

AUDIT = pa.DataFrameSchema(
    {
        "check": pa.Column(str, pa.Check.isin(CHECKS)),
        "target": pa.Column(str, description="claim id or numbers.csv key"),
        "source": pa.Column(str, pa.Check.isin(["published", "package"])),
        "reported": pa.Column(str, description="the value as printed"),
        "n": pa.Column("Int64", nullable=True),
        "items": pa.Column("Int64", nullable=True),
        "recomputed": pa.Column(str),
        "result": pa.Column(str, pa.Check.isin(RESULTS)),
        "note": pa.Column(str),
    },
    strict=True,
    coerce=True,
    name="audit",
    description="GRIM, GRIMMER and statcheck-style checks (paper/audit.csv)",
)


def tables(design=None) -> dict[str, pa.DataFrameSchema]:
    """Every table of the stage (the published registry at its default paths)."""
    return {
        "data/raw/published/claims.csv": PUBLISHED_CLAIMS,
        "data/raw/published/grim_samples.csv": GRIM_SAMPLES,
        "data/processed/paper/numbers.csv": NUMBERS,
        "data/processed/paper/audit_summary.csv": NUMBERS,
        "paper/claims.csv": CLAIMS,
        "paper/audit.csv": AUDIT,
    }
