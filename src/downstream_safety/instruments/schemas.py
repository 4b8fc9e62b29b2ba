"""Schemas of the instrument tables under data/raw/instruments/."""

from __future__ import annotations

import pandera.pandas as pa

# The study's ids (research questions, themes, subthemes, blocks, items, contexts,
# demographic questions, participant fields) are free-form: letters, digits, '.',
# '_' and '-', starting with a letter or digit (RQ1, Q-a, Unit.Tests). Number keys
# derive from them by the one rule of common.number_keys. Spaces, ';' and ','
# stay out: ';' separates the labels of an incident, ',' the cells of a CSV.
ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
ID_RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit"
RQ_ID = ID
# A figure's file stem stays lower_snake_case: one name on every file system.
STEM = r"^[a-z][a-z0-9_]*$"
# Scales have 2 to 11 levels, coded 1..k.
MAX_LEVELS = 11


def _unique_ids(col: str, what: str) -> pa.Column:
    return pa.Column(
        str,
        pa.Check.str_matches(ID),
        unique=True,
        description=f"unique {what} id ({ID_RULE})",
        metadata={"fix": f"give every {what} a unique id of {ID_RULE}"},
    )


PROTOCOL = pa.DataFrameSchema(
    {
        "topic_order": pa.Column(int, pa.Check.ge(1), unique=True, description="1, 2, ..."),
        "topic": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "n_questions": pa.Column(int, pa.Check.ge(1), description="positive integer"),
        "sample_question": pa.Column(str, pa.Check.str_length(min_value=1)),
        "survey_scale_id": pa.Column(str, description="a scale_id of survey_scales.csv or empty"),
    },
    strict=True,
    coerce=True,
    name="protocol",
    description="Interview protocol topics (Table 1)",
)

THEMES = pa.DataFrameSchema(
    {
        "rq": pa.Column(
            str, pa.Check.str_matches(RQ_ID), description="an rq of research_questions.csv"
        ),
        "theme_id": _unique_ids("theme_id", "theme"),
        "theme_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "theme_order": pa.Column(int, pa.Check.ge(1), unique=True),
    },
    strict=True,
    coerce=True,
    name="codebook_themes",
)

SUBTHEMES = pa.DataFrameSchema(
    {
        "rq": pa.Column(
            str, pa.Check.str_matches(RQ_ID), description="an rq of research_questions.csv"
        ),
        "theme_id": pa.Column(str, pa.Check.str_matches(ID)),
        "subtheme_id": _unique_ids("subtheme_id", "subtheme"),
        "subtheme_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "short_label": pa.Column(str, pa.Check.str_length(min_value=1, max_value=40)),
        "subtheme_order": pa.Column(int, pa.Check.ge(1), unique=True),
    },
    strict=True,
    coerce=True,
    name="codebook_subthemes",
)

SCALES = pa.DataFrameSchema(
    {
        "scale_id": pa.Column(str, pa.Check.str_matches(r"^[a-z]+[0-9]+$")),
        "code": pa.Column(int, pa.Check.in_range(1, MAX_LEVELS)),
        "label": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    coerce=True,
    unique=["scale_id", "code"],
    name="survey_scales",
)

MISSING_LABELS = pa.DataFrameSchema(
    {"label": pa.Column(str, unique=True), "meaning": pa.Column(str)},
    strict=True,
    coerce=True,
    name="survey_missing_labels",
)

ITEMS = pa.DataFrameSchema(
    {
        "item_order": pa.Column(int, pa.Check.ge(1), unique=True),
        "item_id": pa.Column(
            str,
            pa.Check.str_matches(ID),
            unique=True,
            description=f"unique item id, the column name in survey exports ({ID_RULE})",
        ),
        "block": pa.Column(
            str, pa.Check.str_matches(ID), description="a block of survey_blocks.csv"
        ),
        "subtheme_id": pa.Column(str, pa.Check.str_matches(ID)),
        "context": pa.Column(
            str, description="a context_id of survey_contexts.csv, or empty for no context"
        ),
        "scale_id": pa.Column(str),
        "statement": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    coerce=True,
    name="survey_items",
)

RESEARCH_QUESTIONS = pa.DataFrameSchema(
    {
        "rq": pa.Column(
            str,
            pa.Check.str_matches(RQ_ID),
            unique=True,
            description=f"research-question id ({ID_RULE})",
        ),
        "rq_order": pa.Column(int, pa.Check.ge(1), unique=True),
        "rq_label": pa.Column(str, pa.Check.str_length(min_value=1, max_value=40)),
    },
    strict=True,
    coerce=True,
    name="research_questions",
    description="Research questions: id, order, and the short label tables print",
)

SURVEY_BLOCKS = pa.DataFrameSchema(
    {
        "block": _unique_ids("block", "survey block"),
        "block_order": pa.Column(int, pa.Check.ge(1), unique=True),
        "figure": pa.Column(
            str,
            pa.Check.str_matches(STEM),
            unique=True,
            description="file stem of its figure (lower case letters, digits, '_')",
        ),
        "figure_title": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    coerce=True,
    name="survey_blocks",
    description="Survey blocks: one diverging-bar figure each",
)

SURVEY_CONTEXTS = pa.DataFrameSchema(
    {
        "context_id": _unique_ids("context_id", "context"),
        "context_label": pa.Column(str, pa.Check.str_length(min_value=1, max_value=40)),
        "context_order": pa.Column(int, pa.Check.ge(1), unique=True),
    },
    strict=True,
    coerce=True,
    name="survey_contexts",
    description="Concern contexts in which a practice item is asked (may have no rows)",
)

SURVEY_DEMOGRAPHICS = pa.DataFrameSchema(
    {
        "question_id": pa.Column(
            str,
            pa.Check.str_matches(ID),
            description=f"column name of the question in survey exports ({ID_RULE})",
        ),
        "question_label": pa.Column(str, pa.Check.str_length(min_value=1)),
        "option_order": pa.Column(int, pa.Check.ge(1)),
        "option_label": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    coerce=True,
    unique=["question_id", "option_order"],
    name="survey_demographics",
    description="Demographic questions and their answer options in display order",
)

TABLE1 = pa.DataFrameSchema(
    {
        "topic": pa.Column(str),
        "n_questions": pa.Column(int, pa.Check.ge(1)),
        "sample_question": pa.Column(str),
        "survey_scale": pa.Column(str),
    },
    strict=True,
    coerce=True,
    name="table1",
)

# The interview participants' background fields (instruments/participant_fields.py reads them).
PARTICIPANT_KINDS = ("count", "choice", "list")
PARTICIPANT_FIELDS = pa.DataFrameSchema(
    {
        "field_id": pa.Column(
            str,
            pa.Check.str_matches(ID),
            description=f"column of participants.csv ({ID_RULE})",
        ),
        "kind": pa.Column(
            str, pa.Check.isin(list(PARTICIPANT_KINDS)), description="count, choice or list"
        ),
        "table2_order": pa.Column(
            "Int64",
            pa.Check.ge(1),
            nullable=True,
            description="column of Table 2 (empty: not shown)",
        ),
        "table2_label": pa.Column(str, nullable=True, description="header in Table 2"),
        "summary_order": pa.Column(
            "Int64",
            pa.Check.ge(1),
            nullable=True,
            description="position in the summary of Table 2 (empty: not summarised)",
        ),
        "summary_label": pa.Column(str, nullable=True, description="label in the summary"),
        "option_order": pa.Column(
            "Int64", pa.Check.ge(1), nullable=True, description="1, 2, ... (choice fields only)"
        ),
        "option_label": pa.Column(str, nullable=True, description="an answer (choice fields only)"),
    },
    strict=True,
    coerce=True,
    name="participant_fields",
    description="The interview participants' background fields: one row per field, or per "
    "option of a choice field",
)


TABLES = {
    "data/raw/instruments/protocol.csv": PROTOCOL,
    "data/raw/instruments/codebook_themes.csv": THEMES,
    "data/raw/instruments/codebook_subthemes.csv": SUBTHEMES,
    "data/raw/instruments/survey_scales.csv": SCALES,
    "data/raw/instruments/survey_missing_labels.csv": MISSING_LABELS,
    "data/raw/instruments/survey_items.csv": ITEMS,
    "data/raw/instruments/research_questions.csv": RESEARCH_QUESTIONS,
    "data/raw/instruments/survey_blocks.csv": SURVEY_BLOCKS,
    "data/raw/instruments/survey_contexts.csv": SURVEY_CONTEXTS,
    "data/raw/instruments/survey_demographics.csv": SURVEY_DEMOGRAPHICS,
    "data/raw/instruments/participant_fields.csv": PARTICIPANT_FIELDS,
    "data/processed/instruments/table1.csv": TABLE1,
}


def tables(design=None) -> dict[str, pa.DataFrameSchema]:
    """The instrument tables and Table 1 for the data package (none depend on the design)."""
    return dict(TABLES)
