"""Schemas of the interview tables (raw under data/raw/interviews/, derived under
data/processed/interviews/).

Tables with a research-question column accept the design's research questions,
so their schemas are built by functions of the design.
"""

from __future__ import annotations

import pandera.pandas as pa

from downstream_safety.instruments.design import Design
from downstream_safety.instruments.participant_fields import ParticipantField, in_table2
from downstream_safety.instruments.schemas import ID  # the design's free-form ids

# Participant ids are free-form (whatever participants.csv lists): any text without
# surrounding white space or line breaks.
PID = r"^\S([^\r\n]*\S)?$"
LIST = r"^[A-Za-z][A-Za-z0-9 ]*(, [A-Za-z][A-Za-z0-9 ]*)*$"
SEGMENT_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
CODER = "coder"  # optional column of coded_segments.csv: who coded the key point


def _text(min_len: int = 1, **kw) -> pa.Column:
    return pa.Column(str, pa.Check.str_length(min_value=min_len), **kw)


def _rq(rqs: list[str], **kw) -> pa.Column:
    """A research-question id of the design."""
    return pa.Column(str, pa.Check.isin(list(rqs)), description=f"one of {', '.join(rqs)}", **kw)


def _rq_plain(rqs: list[str], **kw) -> pa.Column:
    return pa.Column(str, pa.Check.isin(list(rqs)), **kw)


def _field_column(f: ParticipantField) -> pa.Column:
    """A participant field's column, checked by its kind (instruments/participant_fields.py)."""
    if f.kind == "count":
        return pa.Column(int, pa.Check.ge(0), description="a whole number from 0")
    if f.kind == "choice":
        return pa.Column(str, pa.Check.isin(list(f.options)),
                         description=f"one of {', '.join(f.options)}")  # fmt: skip
    return pa.Column(str, pa.Check.str_matches(LIST),
                     description="labels separated by ', ' (e.g. 'CV, NLP')")  # fmt: skip


def participants_schema(design: Design) -> pa.DataFrameSchema:
    """participant_id and interview_order, then the design's participant fields.

    A design view without participant_fields.csv (jobs that need only the
    participants' ids and order) checks those two columns and leaves the others
    to the jobs whose view holds the fields (and to the parse-time check).
    """
    with_fields = design.holds("participant_fields")
    fields = (
        {f.field_id: _field_column(f) for f in design.participant_fields} if with_fields else {}
    )
    return pa.DataFrameSchema(
        {
            "participant_id": pa.Column(
                str,
                pa.Check.str_matches(PID),
                unique=True,
                description="a participant id (free text without surrounding spaces), unique",
                metadata={
                    "fix": "give every participant a unique id, without leading or "
                    "trailing spaces or line breaks"
                },
            ),
            "interview_order": pa.Column(
                int,
                pa.Check.ge(1),
                unique=True,
                description="position of the interview in the order conducted (1, 2, ...)",
                metadata={"fix": "number the interviews 1, 2, ... in the order they were held"},
            ),
            **fields,
        },
        strict=with_fields,
        coerce=True,
        name="participants",
        description="Interview participants with interview order and the background fields "
        "of participant_fields.csv",
    )


def codes_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "code_id": pa.Column(
                str,
                pa.Check.str_matches(ID),
                description="code id (letters, digits, '.', '_', '-')",
                metadata={"fix": "use lowercase letters, digits and '_' for code ids"},
            ),
            "rq": _rq(design.rqs),
            "subtheme_id": pa.Column(str, pa.Check.str_matches(ID)),
            "code_label": _text(),
        },
        strict=True,
        coerce=True,
        name="codes",
        description="Codes and the one subtheme each belongs to",
    )


def segments_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "segment_id": pa.Column(
                str,
                pa.Check.str_matches(SEGMENT_ID),
                description="segment id (letters, digits, '_', '.', '-')",
            ),
            "participant_id": pa.Column(
                str, pa.Check.str_matches(PID), description="a participant id of participants.csv"
            ),
            "rq": _rq(design.rqs),
            "code_id": pa.Column(str, pa.Check.str_matches(ID)),
            "subtheme_id": pa.Column(str, pa.Check.str_matches(ID)),
            "key_point": _text(),
            CODER: pa.Column(
                str,
                pa.Check.str_matches(PID),
                required=False,
                description="optional: the coder of the key point (a name or initials); "
                "with two or more coders, inter-coder agreement is computed",
                metadata={
                    "fix": "give every key point its coder (without leading or trailing "
                    "spaces), or drop the column for a single coder"
                },
            ),
        },
        strict=True,
        coerce=True,
        name="coded_segments",
        description="One row per coded key point",
    )


# --- derived tables -------------------------------------------------------


def segments_clean_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "segment_id": pa.Column(str, unique=True),
            "participant_id": pa.Column(str, pa.Check.str_matches(PID)),
            "interview_order": pa.Column(int, pa.Check.ge(1)),
            "rq": _rq_plain(design.rqs),
            "theme_id": pa.Column(str, pa.Check.str_matches(ID)),
            "subtheme_id": pa.Column(str, pa.Check.str_matches(ID)),
            "code_id": pa.Column(str, pa.Check.str_matches(ID)),
            "key_point": _text(),
        },
        strict=True,
        coerce=True,
        name="segments",
    )


def codes_clean_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "code_id": pa.Column(str, pa.Check.str_matches(ID), unique=True),
            "rq": _rq_plain(design.rqs),
            "theme_id": pa.Column(str, pa.Check.str_matches(ID)),
            "subtheme_id": pa.Column(str, pa.Check.str_matches(ID)),
            "code_label": _text(),
            "n_segments": pa.Column(int, pa.Check.ge(0)),
        },
        strict=True,
        coerce=True,
        name="codes_clean",
    )


def subtheme_participants_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "rq": _rq_plain(design.rqs),
            "theme_id": pa.Column(str, pa.Check.str_matches(ID)),
            "subtheme_id": pa.Column(str, pa.Check.str_matches(ID), unique=True),
            "n_participants": pa.Column(int, pa.Check.ge(0)),
        },
        strict=True,
        coerce=True,
        name="subtheme_participants",
    )


def codes_per_rq_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "rq": _rq_plain(design.rqs, unique=True),
            "n_codes": pa.Column(int, pa.Check.ge(0)),
        },
        strict=True,
        coerce=True,
        name="codes_per_rq",
    )


def theme_participants_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "rq": _rq_plain(design.rqs),
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


def saturation_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "rq": _rq_plain(design.rqs),
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


def saturation_summary_schema(design: Design) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "rq": _rq_plain(design.rqs),
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


def table2_schema(design: Design) -> pa.DataFrameSchema:
    """Table 2: participant_id and the fields with a table2_order, in that order."""
    return pa.DataFrameSchema(
        {
            "participant_id": pa.Column(str, pa.Check.str_matches(PID), unique=True),
            **{f.field_id: _field_column(f) for f in in_table2(design.participant_fields)},
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


def _count(description: str) -> pa.Column:
    return pa.Column("Int64", pa.Check.ge(0), nullable=True, description=description)


def _flag(description: str) -> pa.Column:
    """A True/False column that may be empty, read back from CSV text (the words are
    parsed first: coercing the text "False" would give True)."""
    words = {"True": True, "False": False}
    return pa.Column(
        "boolean",
        nullable=True,
        parsers=pa.Parser(lambda s: s.map(lambda v: words.get(v, v) if isinstance(v, str) else v)),
        description=description,
    )


CODER_AGREEMENT = pa.DataFrameSchema(
    {
        "level": pa.Column(
            str,
            pa.Check.isin(["code", "subtheme", "presence"]),
            description="code or subtheme (Cohen's kappa over characters), presence "
            "(Krippendorff's alpha over the participant x subtheme matrix)",
        ),
        "unit": pa.Column(str, pa.Check.str_length(min_value=1), description="code or subtheme id"),
        "source": pa.Column(
            str, pa.Check.str_length(min_value=1), description="transcript, or '(all sources)'"
        ),
        "coder_a": pa.Column(str, pa.Check.str_length(min_value=1)),
        "coder_b": pa.Column(str, pa.Check.str_length(min_value=1)),
        "n_chars": _count("characters compared"),
        "both": _count("characters both coders coded"),
        "neither": _count("characters neither coder coded"),
        "only_a": _count("characters only coder_a coded"),
        "only_b": _count("characters only coder_b coded"),
        "pct_agreement": pa.Column(
            float, pa.Check.in_range(0, 100), nullable=True, description="characters coded alike, %"
        ),
        "kappa": pa.Column(
            float, pa.Check.in_range(-1, 1), nullable=True, description="Cohen's kappa"
        ),
        "alpha": pa.Column(
            float,
            pa.Check.le(1),
            nullable=True,
            description="Krippendorff's alpha (nominal); empty when undefined",
        ),
        "kappa_threshold": pa.Column(
            float, nullable=True, description="interviews.coder_agreement.kappa_threshold"
        ),
        "meets_threshold": _flag("pooled kappa >= kappa_threshold (empty without a threshold)"),
    },
    strict=True,
    ordered=True,
    coerce=True,
    unique=["level", "unit", "source", "coder_a", "coder_b"],
    name="coder_agreement",
    description="Inter-coder agreement of the sources coded by two or more coders: Cohen's "
    "kappa over characters per code and subtheme (per source and pooled), and Krippendorff's "
    "alpha over participant x subtheme presence",
)


def tables(design: Design) -> dict[str, pa.DataFrameSchema]:
    """Every interview table of the paper layout, for the data packages."""
    return {
        "data/raw/interviews/participants.csv": participants_schema(design),
        "data/raw/interviews/codes.csv": codes_schema(design),
        "data/raw/interviews/coded_segments.csv": segments_schema(design),
        "data/processed/interviews/segments.csv": segments_clean_schema(design),
        "data/processed/interviews/codes.csv": codes_clean_schema(design),
        "data/processed/interviews/subtheme_participants.csv": subtheme_participants_schema(design),
        "data/processed/interviews/codes_per_rq.csv": codes_per_rq_schema(design),
        "data/processed/interviews/theme_participants.csv": theme_participants_schema(design),
        "data/processed/interviews/participant_subtheme_matrix.csv": matrix_schema(
            design.subthemes["subtheme_id"].tolist()
        ),
        "data/processed/interviews/saturation.csv": saturation_schema(design),
        "data/processed/interviews/saturation_summary.csv": saturation_summary_schema(design),
        "data/processed/interviews/demographics.csv": DEMOGRAPHICS,
        "data/processed/interviews/coder_agreement.csv": CODER_AGREEMENT,
        "paper/tables/table2.csv": table2_schema(design),
    }
