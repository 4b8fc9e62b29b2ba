"""Schemas of the survey stage's intermediate tables (data/processed/survey/)."""

from __future__ import annotations

import pandera.pandas as pa

from downstream_safety.common.numbers import NUMBERS
from downstream_safety.survey.instrument import AI_PROJECTS, CONTEXTS, EXPERIENCE, load_items

WAVE = pa.Column(str, pa.Check.str_matches(r"^[A-Za-z0-9][A-Za-z0-9_-]*$"), description="wave id")
ITEM = pa.Column(str, pa.Check.str_matches(r"^(imp|freq|agr)_[a-z_]+$"), description="item id")
COUNT = pa.Column(int, pa.Check.ge(0))
PCT = pa.Column(float, pa.Check.in_range(0, 100), nullable=True)
PROB = pa.Column(float, pa.Check.in_range(0, 1), nullable=True)


def _responses_schema() -> pa.DataFrameSchema:
    items = load_items()
    cols = {
        "wave": WAVE,
        "respondent_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "ai_projects": pa.Column(str, pa.Check.isin(AI_PROJECTS)),
        "dl_experience": pa.Column(str, pa.Check.isin(EXPERIENCE)),
        "se_experience": pa.Column(str, pa.Check.isin(EXPERIENCE)),
        "description_verdict": pa.Column(str, pa.Check.isin(["accept", "reject"])),
        "status": pa.Column(
            str, pa.Check.isin(["valid", "excluded_experience", "excluded_description"])
        ),
    }
    for item_id in items.ids:
        cols[item_id] = pa.Column(
            float,
            pa.Check.isin(list(range(1, items.n_levels(item_id) + 1))),
            nullable=True,
            description="answer code 1..k; empty = missing answer",
        )
    return pa.DataFrameSchema(
        cols,
        strict=True,
        coerce=True,
        unique=["wave", "respondent_id"],
        name="survey_responses",
        description="Coded answers of all waves with each respondent's screening status",
    )


RESPONSES = _responses_schema()


def _raw_wave_schema() -> pa.DataFrameSchema:
    """The public input contract of a wave CSV, as exported (text labels).

    The reader (load.py) enforces the contract with wave-specific messages; this
    schema states the same contract for datapackage.json. Extra columns (survey
    tool metadata) are allowed.
    """
    items = load_items()
    cols = {
        "respondent_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "ai_projects": pa.Column(str, pa.Check.isin(AI_PROJECTS)),
        "dl_experience": pa.Column(str, pa.Check.isin(EXPERIENCE)),
        "se_experience": pa.Column(str, pa.Check.isin(EXPERIENCE)),
        "description_verdict": pa.Column(str, pa.Check.isin(["accept", "reject"])),
    }
    for item_id in items.ids:
        allowed = [*items.level_labels(item_id), *[m for m in items.missing_labels if m]]
        cols[item_id] = pa.Column(
            str,
            pa.Check.isin(allowed),
            nullable=True,
            description="scale label, 'I do not know', 'Does not apply' or empty (missing)",
        )
    return pa.DataFrameSchema(
        cols,
        strict=False,
        name="survey_wave",
        description="One survey wave as exported (reconstructed for wave1)",
    )


RAW_WAVE = _raw_wave_schema()

SCREENING = pa.DataFrameSchema(
    {
        "wave": pa.Column(str),
        "recruited": COUNT,
        "excluded_experience": COUNT,
        "excluded_description": COUNT,
        "valid": COUNT,
    },
    strict=True,
    coerce=True,
    unique=["wave"],
    checks=pa.Check(
        lambda d: (
            d["recruited"] == d["excluded_experience"] + d["excluded_description"] + d["valid"]
        ),
        name="funnel_adds_up",
    ),
    name="survey_screening",
)

ITEM_SUMMARY = pa.DataFrameSchema(
    {
        "wave": pa.Column(str),
        "item_id": ITEM,
        "n_valid": COUNT,
        "n_missing": COUNT,
        "mean": pa.Column(float, pa.Check.in_range(1, 5), nullable=True),
        "pct_top2": PCT,
        "pct_lowest": PCT,
    },
    strict=True,
    coerce=True,
    unique=["wave", "item_id"],
    name="survey_item_summary",
)

ITEM_LEVELS = pa.DataFrameSchema(
    {
        "wave": pa.Column(str),
        "item_id": ITEM,
        "level": pa.Column(int, pa.Check.in_range(1, 5)),
        "label": pa.Column(str),
        "count": COUNT,
        "percent": PCT,
    },
    strict=True,
    coerce=True,
    unique=["wave", "item_id", "level"],
    name="survey_item_levels",
)

PRACTICE_TESTS = pa.DataFrameSchema(
    {
        "wave": pa.Column(str),
        "practice": pa.Column(str, pa.Check.str_matches(r"^[a-z_]+$")),
        "concern_a": pa.Column(str, pa.Check.isin(CONTEXTS)),
        "concern_b": pa.Column(str, pa.Check.isin(CONTEXTS)),
        "n_pairs": COUNT,
        "mean_a": pa.Column(float, nullable=True),
        "mean_b": pa.Column(float, nullable=True),
        "p_value": PROB,
        "effect_size_d": pa.Column(float, nullable=True, description="Cohen's d, pooled SD"),
        "effect_size_r": pa.Column(float, nullable=True, description="|z| / sqrt(n_pairs)"),
        "n_nonzero": COUNT,
        "z": pa.Column(float, nullable=True),
        "rank_biserial": pa.Column(float, pa.Check.in_range(-1, 1), nullable=True),
        "p_adjusted": PROB,
        "significant": pa.Column(bool),
        "significant_adjusted": pa.Column(bool),
    },
    strict=True,
    coerce=True,
    unique=["wave", "practice", "concern_a", "concern_b"],
    name="survey_practice_tests",
)

DEMOGRAPHICS = pa.DataFrameSchema(
    {
        "wave": pa.Column(str),
        "question": pa.Column(
            str, pa.Check.isin(["ai_projects", "dl_experience", "se_experience"])
        ),
        "answer_order": pa.Column(int, pa.Check.ge(1)),
        "answer": pa.Column(str),
        "n": COUNT,
        "percent": PCT,
    },
    strict=True,
    coerce=True,
    unique=["wave", "question", "answer"],
    name="survey_demographics",
)

WAVE_COMPARISON = pa.DataFrameSchema(
    {
        "item_id": ITEM,
        "wave": pa.Column(str),
        "n_valid": COUNT,
        "mean": pa.Column(float, nullable=True),
        "kruskal_h": pa.Column(float, nullable=True),
        "kruskal_p": PROB,
    },
    strict=True,
    coerce=True,
    unique=["item_id", "wave"],
    name="survey_wave_comparison",
)

# wave_comparison.csv is left out: it exists only when more than one wave is
# configured, and every table listed here is required by the data package.
TABLES = {
    "data/raw/survey/wave1.csv": RAW_WAVE,
    "data/processed/survey/responses.csv": RESPONSES,
    "data/processed/survey/screening.csv": SCREENING,
    "data/processed/survey/item_summary.csv": ITEM_SUMMARY,
    "data/processed/survey/item_levels.csv": ITEM_LEVELS,
    "data/processed/survey/practice_tests.csv": PRACTICE_TESTS,
    "data/processed/survey/demographics.csv": DEMOGRAPHICS,
    "data/processed/survey/numbers.csv": NUMBERS,
}
