"""Schemas of the interview tables (raw under data/raw/interviews/, derived under
data/processed/interviews/)."""

from __future__ import annotations

import csv

import pandera.pandas as pa

from downstream_safety.paths import INSTRUMENTS

ID = r"^[a-z][a-z0-9_]*$"
PID = r"^P[0-9]+$"
RQS = ["RQ1", "RQ2", "RQ3"]
CHANNELS = ["hugging_face", "network"]
AI_SOFTWARE = ["1-5", "5-10", "10-25", "25+"]
DEGREES = ["Bachelor", "Master", "PhD"]
ORG_SIZES = ["Open-source", "Small", "Medium", "Large"]
DOMAIN = r"^[A-Za-z][A-Za-z0-9 ]*(, [A-Za-z][A-Za-z0-9 ]*)*$"
SEGMENT_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


def _text(min_len: int = 1, **kw) -> pa.Column:
    return pa.Column(str, pa.Check.str_length(min_value=min_len), **kw)


PARTICIPANTS = pa.DataFrameSchema(
    {
        "participant_id": pa.Column(
            str,
            pa.Check.str_matches(PID),
            unique=True,
            description="P followed by a number, unique",
            metadata={"fix": "give every participant a unique id such as P1, P2, ..."},
        ),
        "interview_order": pa.Column(
            int,
            pa.Check.ge(1),
            unique=True,
            description="position of the interview in the order conducted (1, 2, ...)",
            metadata={"fix": "number the interviews 1, 2, ... in the order they were held"},
        ),
        "channel": pa.Column(str, pa.Check.isin(CHANNELS), description="hugging_face or network"),
        "dl_experience_years": pa.Column(int, pa.Check.ge(0), description="years, integer"),
        "se_experience_years": pa.Column(int, pa.Check.ge(0), description="years, integer"),
        "n_ai_software": pa.Column(
            str, pa.Check.isin(AI_SOFTWARE), description="one of 1-5, 5-10, 10-25, 25+"
        ),
        "degree": pa.Column(str, pa.Check.isin(DEGREES), description="Bachelor, Master or PhD"),
        "org_size": pa.Column(
            str,
            pa.Check.isin(ORG_SIZES),
            description="Open-source, Small, Medium or Large",
        ),
        "domain": pa.Column(
            str,
            pa.Check.str_matches(DOMAIN),
            description="domains separated by ', ' (e.g. 'CV, NLP')",
        ),
    },
    strict=True,
    coerce=True,
    name="participants",
    description="Interview participants (Table 2) with interview order and channel",
)

CODES = pa.DataFrameSchema(
    {
        "code_id": pa.Column(
            str,
            pa.Check.str_matches(ID),
            description="lower_snake_case code id",
            metadata={"fix": "use lowercase letters, digits and '_' for code ids"},
        ),
        "rq": pa.Column(str, pa.Check.isin(RQS), description="one of RQ1, RQ2, RQ3"),
        "subtheme_id": pa.Column(str, pa.Check.str_matches(ID)),
        "code_label": _text(),
    },
    strict=True,
    coerce=True,
    name="codes",
    description="Codes and the one subtheme each belongs to",
)

SEGMENTS = pa.DataFrameSchema(
    {
        "segment_id": pa.Column(
            str,
            pa.Check.str_matches(SEGMENT_ID),
            description="segment id (letters, digits, '_', '.', '-')",
        ),
        "participant_id": pa.Column(str, pa.Check.str_matches(PID), description="P<number>"),
        "rq": pa.Column(str, pa.Check.isin(RQS), description="one of RQ1, RQ2, RQ3"),
        "code_id": pa.Column(str, pa.Check.str_matches(ID)),
        "subtheme_id": pa.Column(str, pa.Check.str_matches(ID)),
        "key_point": _text(),
    },
    strict=True,
    coerce=True,
    name="coded_segments",
    description="One row per coded key point",
)

# --- derived tables -------------------------------------------------------

SEGMENTS_CLEAN = pa.DataFrameSchema(
    {
        "segment_id": pa.Column(str, unique=True),
        "participant_id": pa.Column(str, pa.Check.str_matches(PID)),
        "interview_order": pa.Column(int, pa.Check.ge(1)),
        "rq": pa.Column(str, pa.Check.isin(RQS)),
        "theme_id": pa.Column(str, pa.Check.str_matches(ID)),
        "subtheme_id": pa.Column(str, pa.Check.str_matches(ID)),
        "code_id": pa.Column(str, pa.Check.str_matches(ID)),
        "key_point": _text(),
    },
    strict=True,
    coerce=True,
    name="segments",
)

CODES_CLEAN = pa.DataFrameSchema(
    {
        "code_id": pa.Column(str, pa.Check.str_matches(ID), unique=True),
        "rq": pa.Column(str, pa.Check.isin(RQS)),
        "theme_id": pa.Column(str, pa.Check.str_matches(ID)),
        "subtheme_id": pa.Column(str, pa.Check.str_matches(ID)),
        "code_label": _text(),
        "n_segments": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
    coerce=True,
    name="codes_clean",
)

SUBTHEME_PARTICIPANTS = pa.DataFrameSchema(
    {
        "rq": pa.Column(str, pa.Check.isin(RQS)),
        "theme_id": pa.Column(str, pa.Check.str_matches(ID)),
        "subtheme_id": pa.Column(str, pa.Check.str_matches(ID), unique=True),
        "n_participants": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
    coerce=True,
    name="subtheme_participants",
)

CODES_PER_RQ = pa.DataFrameSchema(
    {
        "rq": pa.Column(str, pa.Check.isin(RQS), unique=True),
        "n_codes": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
    coerce=True,
    name="codes_per_rq",
)

THEME_PARTICIPANTS = pa.DataFrameSchema(
    {
        "rq": pa.Column(str, pa.Check.isin(RQS)),
        "theme_id": pa.Column(str, pa.Check.str_matches(ID), unique=True),
        "n_subthemes": pa.Column(int, pa.Check.ge(0)),
        "n_codes": pa.Column(int, pa.Check.ge(0)),
        "n_participants": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
    coerce=True,
    name="theme_participants",
)


def matrix_schema(subtheme_ids: list[str]) -> pa.DataFrameSchema:
    """Participant x subtheme matrix: one 0/1 column per codebook subtheme, in order."""
    cols = {"participant_id": pa.Column(str, pa.Check.str_matches(PID), unique=True)}
    for sid in subtheme_ids:
        cols[sid] = pa.Column(int, pa.Check.isin([0, 1]), description=f"1 = mentions {sid}")
    return pa.DataFrameSchema(
        cols,
        strict=True,
        ordered=True,
        coerce=True,
        name="participant_subtheme_matrix",
        description="1 when the participant mentions the subtheme (columns: codebook subthemes)",
    )


def _codebook_subtheme_ids() -> list[str]:
    # Read with the csv module: the schema must exist before pandas/pandera loaders run.
    path = INSTRUMENTS / "codebook_subthemes.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["subtheme_id"] for r in sorted(rows, key=lambda r: int(r["subtheme_order"]))]


MATRIX = matrix_schema(_codebook_subtheme_ids())

SATURATION = pa.DataFrameSchema(
    {
        "rq": pa.Column(str, pa.Check.isin(RQS)),
        "interview_order": pa.Column(int, pa.Check.ge(1)),
        "participant_id": pa.Column(str, pa.Check.str_matches(PID)),
        "new_subthemes": pa.Column(int, pa.Check.ge(0)),
        "cumulative_subthemes": pa.Column(int, pa.Check.ge(0)),
        "pct_subthemes": pa.Column(float, pa.Check.in_range(0, 100)),
        "new_codes": pa.Column(int, pa.Check.ge(0)),
        "cumulative_codes": pa.Column(int, pa.Check.ge(0)),
        "pct_codes": pa.Column(float, pa.Check.in_range(0, 100)),
    },
    strict=True,
    coerce=True,
    unique=["rq", "interview_order"],
    name="saturation",
)

SATURATION_SUMMARY = pa.DataFrameSchema(
    {
        "rq": pa.Column(str, pa.Check.isin(RQS)),
        "method": pa.Column(str, pa.Check.isin(["guest2006", "guest2020"])),
        "saturation_interview": pa.Column(
            "Int64", pa.Check.ge(1), nullable=True, description="empty when not reached"
        ),
    },
    strict=True,
    coerce=True,
    unique=["rq", "method"],
    name="saturation_summary",
)

TABLE2 = pa.DataFrameSchema(
    {
        "participant_id": pa.Column(str, pa.Check.str_matches(PID), unique=True),
        "dl_experience_years": pa.Column(int, pa.Check.ge(0)),
        "se_experience_years": pa.Column(int, pa.Check.ge(0)),
        "n_ai_software": pa.Column(str, pa.Check.isin(AI_SOFTWARE)),
        "degree": pa.Column(str, pa.Check.isin(DEGREES)),
        "org_size": pa.Column(str, pa.Check.isin(ORG_SIZES)),
        "domain": pa.Column(str, pa.Check.str_matches(DOMAIN)),
    },
    strict=True,
    coerce=True,
    name="table2",
)

DEMOGRAPHICS = pa.DataFrameSchema(
    {
        "variable": pa.Column(str, pa.Check.str_matches(ID)),
        "level": pa.Column(str, pa.Check.str_length(min_value=1)),
        "n": pa.Column(int, pa.Check.ge(0)),
        "pct": pa.Column(float, pa.Check.in_range(0, 100)),
    },
    strict=True,
    coerce=True,
    unique=["variable", "level"],
    name="interview_demographics",
)

TABLES = {
    "data/raw/interviews/participants.csv": PARTICIPANTS,
    "data/raw/interviews/codes.csv": CODES,
    "data/raw/interviews/coded_segments.csv": SEGMENTS,
    "data/processed/interviews/segments.csv": SEGMENTS_CLEAN,
    "data/processed/interviews/codes.csv": CODES_CLEAN,
    "data/processed/interviews/subtheme_participants.csv": SUBTHEME_PARTICIPANTS,
    "data/processed/interviews/codes_per_rq.csv": CODES_PER_RQ,
    "data/processed/interviews/theme_participants.csv": THEME_PARTICIPANTS,
    "data/processed/interviews/participant_subtheme_matrix.csv": MATRIX,
    "data/processed/interviews/saturation.csv": SATURATION,
    "data/processed/interviews/saturation_summary.csv": SATURATION_SUMMARY,
    "data/processed/interviews/demographics.csv": DEMOGRAPHICS,
    "paper/tables/table2.csv": TABLE2,
}
