"""Schemas of the survey stage's tables, built from the study design.

Which items, answer labels, contexts, demographic questions and screening
statuses a table may hold is part of the design, so every schema is made by a
function of the :class:`~downstream_safety.instruments.design.Design`; range
checks follow the scale of each item (2 to 11 levels).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
import pandera.pandas as pa

from downstream_safety.common.numbers import NUMBERS
from downstream_safety.instruments.design import Design
from downstream_safety.survey.platforms import NONRESPONSE_STATUSES, funnel, uses_platform

WAVE = pa.Column(str, pa.Check.str_matches(r"^[A-Za-z0-9][A-Za-z0-9_-]*$"), description="wave id")
COUNT = pa.Column(int, pa.Check.ge(0))
PCT = pa.Column(float, pa.Check.in_range(0, 100), nullable=True)
PROB = pa.Column(float, pa.Check.in_range(0, 1), nullable=True)


NONRESPONSES = "data/processed/survey/nonresponses.csv"


def _id_column(ids: list[str], pattern: str, **kw) -> pa.Column:
    """A column of design ids, stated in datapackage.json by the pattern they all follow
    (or listed when some do not); membership itself is checked row-wise by _known."""
    ok = all(re.fullmatch(pattern, i) for i in ids)
    return pa.Column(str, pa.Check.str_matches(pattern) if ok else pa.Check.isin(ids), **kw)


def _known(column: str, ids: list[str]) -> pa.Check:
    allowed = set(ids)
    return pa.Check(lambda d: d[column].isin(allowed), name=f"{column}_in_design")


def _item(design: Design) -> pa.Column:
    # The alternatives of the ids' prefixes, e.g. ^(imp|freq|agr)_[a-z_]+$
    prefixes = "|".join(dict.fromkeys(i.split("_")[0] for i in design.item_ids))
    return _id_column(design.item_ids, rf"^({prefixes})_[a-z_]+$", description="item id")


def _max_levels(design: Design) -> int:
    return max((design.scale_of(i).n_levels for i in design.item_ids), default=2)


def _within_item_scale(design: Design, column: str, name: str) -> pa.Check:
    """Row-wise: ``column`` lies in 1..k of the row's item scale (the column
    check only knows the largest scale of the study)."""
    k = {i: design.scale_of(i).n_levels for i in design.item_ids}

    def check(df: pd.DataFrame) -> pd.Series:
        top = df["item_id"].map(k)
        value = df[column]
        return value.isna() | ((value >= 1) & (value <= top))

    return pa.Check(check, name=name)


def responses_schema(design: Design) -> pa.DataFrameSchema:
    cols = {
        "wave": WAVE,
        "respondent_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        **{c: pa.Column(str, pa.Check.isin(list(v))) for c, v in design.respondent_columns.items()},
        "status": pa.Column(str, pa.Check.isin(["valid", *(r.status for r in design.screening)])),
    }
    for item_id in design.item_ids:
        cols[item_id] = pa.Column(
            float,
            pa.Check.isin(list(range(1, design.scale_of(item_id).n_levels + 1))),
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


def raw_wave_schema(design: Design) -> pa.DataFrameSchema:
    """The public input contract of a wave CSV, as exported (text labels).

    The reader (load.py) enforces the contract with wave-specific messages; this
    schema states the same contract for datapackage.json. Extra columns (survey
    tool metadata) are allowed.
    """
    cols = {
        "respondent_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        **{c: pa.Column(str, pa.Check.isin(list(v))) for c, v in design.respondent_columns.items()},
    }
    missing = [m for m in design.missing_labels if m]
    shown = ", ".join(f"'{m}'" for m in missing)
    for item_id in design.item_ids:
        cols[item_id] = pa.Column(
            str,
            pa.Check.isin([*design.scale_of(item_id).labels, *missing]),
            nullable=True,
            description=f"scale label, {shown} or empty (missing)"
            if missing
            else "scale label or empty (missing)",
        )
    return pa.DataFrameSchema(
        cols,
        strict=False,
        name="survey_wave",
        description="One survey wave as exported (reconstructed for wave1)",
    )


def screening_schema(design: Design, platform: bool = False) -> pa.DataFrameSchema:
    """``platform``: some wave is a platform export, so its non-responses are counted."""
    statuses = funnel(design, platform)

    def adds_up(d: pd.DataFrame) -> pd.Series:
        return d["recruited"] == d[statuses].sum(axis=1)

    return pa.DataFrameSchema(
        {"wave": pa.Column(str), "recruited": COUNT, **{s: COUNT for s in statuses}},
        strict=True,
        coerce=True,
        unique=["wave"],
        checks=pa.Check(adds_up, name="funnel_adds_up"),
        name="survey_screening",
    )


def nonresponses_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {"wave": WAVE, **{s: COUNT for s in NONRESPONSE_STATUSES}},
        strict=True,
        coerce=True,
        unique=["wave"],
        name="survey_nonresponses",
        description="Rows of platform exports that are not responses (previews, spam, "
        "unfinished), per wave; counted in screening.csv",
    )


def item_summary_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "wave": pa.Column(str),
            "item_id": _item(design),
            "n_valid": COUNT,
            "n_missing": COUNT,
            "mean": pa.Column(float, pa.Check.in_range(1, _max_levels(design)), nullable=True),
            "pct_top2": PCT,
            "pct_lowest": PCT,
        },
        strict=True,
        coerce=True,
        unique=["wave", "item_id"],
        checks=[
            _known("item_id", design.item_ids),
            _within_item_scale(design, "mean", "mean_within_item_scale"),
        ],
        name="survey_item_summary",
    )


def item_levels_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "wave": pa.Column(str),
            "item_id": _item(design),
            "level": pa.Column(int, pa.Check.in_range(1, _max_levels(design))),
            "label": pa.Column(str),
            "count": COUNT,
            "percent": PCT,
        },
        strict=True,
        coerce=True,
        unique=["wave", "item_id", "level"],
        checks=[
            _known("item_id", design.item_ids),
            _within_item_scale(design, "level", "level_within_item_scale"),
        ],
        name="survey_item_levels",
    )


def practice_tests_schema(design: Design) -> pa.DataFrameSchema:
    contexts = design.context_ids
    return pa.DataFrameSchema(
        {
            "wave": pa.Column(str),
            "practice": _id_column(design.practices, r"^[a-z_]+$"),
            "concern_a": pa.Column(str, pa.Check.isin(contexts)),
            "concern_b": pa.Column(str, pa.Check.isin(contexts)),
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
        checks=_known("practice", design.practices),
        name="survey_practice_tests",
    )


def demographics_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "wave": pa.Column(str),
            "question": pa.Column(str, pa.Check.isin(design.demographic_ids)),
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


def wave_comparison_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "item_id": _item(design),
            "wave": pa.Column(str),
            "n_valid": COUNT,
            "mean": pa.Column(float, pa.Check.in_range(1, _max_levels(design)), nullable=True),
            "kruskal_h": pa.Column(float, nullable=True),
            "kruskal_p": PROB,
        },
        strict=True,
        coerce=True,
        unique=["item_id", "wave"],
        checks=_known("item_id", design.item_ids),
        name="survey_wave_comparison",
    )


def tables(design: Design, waves: Iterable[dict] = ()) -> dict[str, pa.DataFrameSchema]:
    """Every table of the stage with its schema, for the data packages.

    ``waves`` are the configured waves (``survey.waves``): their raw files are
    described too. wave_comparison.csv is left out: it exists only when more
    than one wave is configured, and every table listed here is required.
    """
    raw = raw_wave_schema(design)
    # Platform exports are described in docs/survey.md, not here.
    waves = list(waves)
    plain = [w for w in waves if w.get("format", "plain") == "plain"]
    platform = uses_platform(waves)
    nonresponses = {NONRESPONSES: nonresponses_schema()} if platform else {}
    return {
        **{str(w["responses"]): raw for w in plain},
        "data/processed/survey/responses.csv": responses_schema(design),
        **nonresponses,
        "data/processed/survey/screening.csv": screening_schema(design, platform),
        "data/processed/survey/item_summary.csv": item_summary_schema(design),
        "data/processed/survey/item_levels.csv": item_levels_schema(design),
        "data/processed/survey/practice_tests.csv": practice_tests_schema(design),
        "data/processed/survey/demographics.csv": demographics_schema(design),
        "data/processed/survey/numbers.csv": NUMBERS,
    }
