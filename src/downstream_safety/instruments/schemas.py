"""Schemas of the instrument tables under data/raw/instruments/."""

from __future__ import annotations

import pandera.pandas as pa

ID = r"^[a-z][a-z0-9_]*$"
RQS = ["RQ1", "RQ2", "RQ3"]
CONTEXTS = ["data", "behaviour", "misuse"]
BLOCKS = ["importance", "frequency", "agreement"]


def _unique_ids(col: str, what: str) -> pa.Column:
    return pa.Column(
        str,
        pa.Check.str_matches(ID),
        unique=True,
        description=f"unique lower_snake_case {what} id",
        metadata={"fix": f"give every {what} a unique id of lowercase letters, digits and '_'"},
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
        "rq": pa.Column(str, pa.Check.isin(RQS), description="one of RQ1, RQ2, RQ3"),
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
        "rq": pa.Column(str, pa.Check.isin(RQS), description="one of RQ1, RQ2, RQ3"),
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
        "code": pa.Column(int, pa.Check.in_range(1, 10)),
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
            pa.Check.str_matches(
                r"^(imp_[a-z_]+|freq_[a-z_]+__(data|behaviour|misuse)|agr_[a-z_]+)$"
            ),
            unique=True,
            description="imp_<concern>, freq_<practice>__<context> or agr_<challenge>",
        ),
        "block": pa.Column(str, pa.Check.isin(BLOCKS)),
        "subtheme_id": pa.Column(str, pa.Check.str_matches(ID)),
        "context": pa.Column(str, pa.Check.isin(["", *CONTEXTS])),
        "scale_id": pa.Column(str),
        "statement": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    coerce=True,
    name="survey_items",
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

TABLES = {
    "data/raw/instruments/protocol.csv": PROTOCOL,
    "data/raw/instruments/codebook_themes.csv": THEMES,
    "data/raw/instruments/codebook_subthemes.csv": SUBTHEMES,
    "data/raw/instruments/survey_scales.csv": SCALES,
    "data/raw/instruments/survey_missing_labels.csv": MISSING_LABELS,
    "data/raw/instruments/survey_items.csv": ITEMS,
    "data/processed/instruments/table1.csv": TABLE1,
}
