"""Schemas of the paper stage's tables: the published claims (input) and the
self-audit, Table 3 and summary counts (outputs)."""

from __future__ import annotations

import pandera.pandas as pa

from downstream_safety.common.numbers import NUMBERS

CLAIM_ID = r"^(C[0-9]{3}[a-z]?|T3_(participants|survey|incidents)__[a-z][a-z0-9_]*)(_real)?$"
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
# Verdicts of the checks against real data (rows of basis real, incidents.realdata).
REAL_VERDICTS = ["corroborated", "contradicted", "mixed", "not_checkable"]
STATUSES = ["reproduced", "reproduced_assuming", "differs", "not_computable", *REAL_VERDICTS]
# What a published claim's computed value rests on (see data/raw/published/README.md).
BASES = ["reconstructed", "instrument", "design", "real", "none"]
# Bases whose claims have a computed quantity (a number_key); design and none have none.
KEYED_BASES = ["reconstructed", "instrument", "real"]
# missing_answers=<k>: reproducible only if k answers of the item were missing;
# one_of=<group>: one of a group of shares that cannot all hold at the stated n.
ASSUMPTION = r"^(missing_answers=[1-9][0-9]*|one_of=[a-z][a-z0-9_]*)?$"
# basis -> what a reproduced value of that basis is evidence of.
EVIDENCE = {
    "real": "replication",
    "reconstructed": "analysis_code",
    "instrument": "transcription",
    "design": "nothing",
    "none": "nothing",
}
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
        "basis": pa.Column(
            str,
            pa.Check.isin(BASES),
            description="what the computed value rests on: " + ", ".join(BASES),
            metadata={"fix": "one of " + ", ".join(BASES) + " (see data/raw/published/README.md)"},
        ),
        "assumption": pa.Column(
            str,
            pa.Check.str_matches(ASSUMPTION),
            description="empty, missing_answers=<k> or one_of=<group>",
            metadata={"fix": "leave empty, or write missing_answers=1 or one_of=<group id>"},
        ),
        "note": pa.Column(str),
    },
    checks=[
        pa.Check(
            lambda df: (df["number_key"] != "") == df["basis"].isin(KEYED_BASES),
            error="a claim has a number_key exactly when its basis is "
            + ", ".join(KEYED_BASES)
            + " (design and none claims compare no computed quantity)",
        ),
        pa.Check(
            lambda df: df["basis"].isin(KEYED_BASES) | (df["note"] != ""),
            error="a design or none claim has a note saying why it is not computed",
        ),
        pa.Check(
            lambda df: (df["assumption"] == "") | df["unit"].isin(["mean", "%"]),
            error="an assumption applies only to a mean or a percentage",
        ),
    ],
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
        "number_key": pa.Column(str, description="the computed quantity compared"),
        "basis": pa.Column(str, pa.Check.isin(BASES)),
        "evidence_of": pa.Column(
            str,
            pa.Check.isin(sorted(set(EVIDENCE.values()))),
            description="what agreement with the published value shows (from basis)",
        ),
        "computed": pa.Column(str, description="computed value at the published precision"),
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
        "note": pa.Column(str),
    },
    checks=[
        pa.Check(
            lambda df: (df["status"] == "reproduced") | (df["note"].str.len() > 0),
            error="every claim that is not reproduced has a note",
        ),
        pa.Check(
            lambda df: ~df["basis"].isin(["design", "none"]) | (df["status"] == "not_computable"),
            error="a design or none claim is never reproduced",
        ),
    ],
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
