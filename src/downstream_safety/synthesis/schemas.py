"""Schemas of the synthesis tables; their ranges follow the study's scales and RQs."""

from __future__ import annotations

import pandera.pandas as pa

from downstream_safety.instruments.design import Design
from downstream_safety.synthesis.scores import score_range

# Published paths of the synthesis outputs (kept where the paper study has them).
TRIANGULATION_CSV = "data/processed/incidents/triangulation.csv"
TABLE3_CSV = "paper/tables/table3.csv"


def triangulation(design: Design) -> pa.DataFrameSchema:
    top = score_range(design, design.taxonomy)
    return pa.DataFrameSchema(
        {
            "subtheme_id": pa.Column(str, unique=True),
            "pct_interviewees": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
            "survey_mean": pa.Column(float, pa.Check.in_range(1, top), nullable=True),
            "pct_top2": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
            "pct_incidents": pa.Column(float, pa.Check.in_range(0, 100)),
        },
        strict=True,
        coerce=True,
        name="triangulation",
    )


def table3(design: Design) -> pa.DataFrameSchema:
    top = score_range(design, design.subthemes["subtheme_id"].tolist())
    return pa.DataFrameSchema(
        {
            "rq": pa.Column(str, pa.Check.isin(design.rqs)),
            "theme_id": pa.Column(str),
            "subtheme_id": pa.Column(str, unique=True),
            "subtheme": pa.Column(str),
            "n_participants": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "survey_score": pa.Column(float, pa.Check.in_range(1, top), nullable=True),
            "n_incidents": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        },
        strict=True,
        coerce=True,
        name="table3",
        description="Table 3: participants, survey score and incidents per subtheme",
    )


def tables(design: Design) -> dict[str, pa.DataFrameSchema]:
    """The synthesis tables this design produces (triangulation needs incident labels)."""
    out = {TABLE3_CSV: table3(design)}
    if design.taxonomy:
        out[TRIANGULATION_CSV] = triangulation(design)
    return out
