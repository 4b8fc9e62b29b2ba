"""The interview participants' background fields, read from the study's instrument table.

The instruments stage owns the table (its schema is instruments/schemas.py); the
interview stage reads the fields through the design view that holds them.

A study names its own fields (``interviews.participant_fields`` in the config): each is
a column of ``participants.csv`` besides ``participant_id`` and ``interview_order``,
with its kind, its place and header in Table 2, and its place and label in the summary
of Table 2. The participants schema, Table 2 and its summary are built from them.

Kinds: ``count`` (a whole number from 0, such as years of experience), ``choice`` (one
of the listed options, summarised per option in option order) and ``list`` (labels
separated by ", ", summarised per combination and per label involved).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import check_text_table, read_table
from downstream_safety.instruments.schemas import PARTICIPANT_FIELDS
from downstream_safety.paths import rel

STRUCTURAL = ("participant_id", "interview_order")


@dataclass(frozen=True)
class ParticipantField:
    field_id: str
    kind: str
    table2_order: int | None
    table2_label: str | None
    summary_order: int | None
    summary_label: str | None
    options: tuple[str, ...]


def _error(path: Path, message: str, rows: list[int], values: list, fix: str) -> InputError:
    return InputError(rel(path), message, column="field_id", rows=rows, values=values, fix=fix)


def load_participant_fields(path: Path | str) -> tuple[ParticipantField, ...]:
    """The fields in file order, each with its options in option order."""
    path = Path(path)
    return fields_of(read_table(path, PARTICIPANT_FIELDS, allow_empty=True), path)


def fields_from_text(text: pd.DataFrame, path: Path | str) -> tuple[ParticipantField, ...]:
    """The fields of the table kept as text (a design view), checked as on reading."""
    return fields_of(check_text_table(text, PARTICIPANT_FIELDS, path), Path(path))


def fields_of(df: pd.DataFrame, path: Path) -> tuple[ParticipantField, ...]:
    """The fields of the validated table ``df`` read from ``path``."""
    for col in ("table2_label", "summary_label", "option_label"):  # an empty cell: no value
        df[col] = df[col].where(df[col].fillna("").str.strip() != "", None)
    line = {i: i + 2 for i in df.index}
    reserved = df["field_id"].isin(STRUCTURAL)
    if reserved.any():
        raise _error(path, "participant_id and interview_order are always columns; they are "
                     "not fields", [line[i] for i in df.index[reserved]],
                     sorted(set(df.loc[reserved, "field_id"])),
                     "remove these rows")  # fmt: skip
    fields = []
    for field_id, rows in df.groupby("field_id", sort=False):
        lines = [line[i] for i in rows.index]

        def fail(message: str, fix: str, lines=lines, field_id=field_id) -> InputError:
            return _error(path, message, lines, [field_id], fix)

        settings = rows[["kind", "table2_order", "table2_label", "summary_order", "summary_label"]]
        if len(settings.astype(str).drop_duplicates()) > 1:
            raise fail("the rows of one field disagree on its kind, order or labels",
                       "repeat the same kind, orders and labels on every option row")  # fmt: skip
        first = rows.iloc[0]
        options = rows.dropna(subset=["option_label"]).sort_values("option_order")
        if first["kind"] == "choice":
            if options.empty or options["option_order"].isna().any():
                raise fail("a choice field needs its options, each with an option_order",
                           "one row per option: option_order 1, 2, ..., option_label")  # fmt: skip
            twice = options["option_label"].duplicated() | options["option_order"].duplicated()
            if twice.any():
                raise fail("an option or option_order is listed twice",
                           "list each option once, numbered 1, 2, ...")  # fmt: skip
        elif len(rows) > 1 or not options.empty:
            raise fail(f"a {first['kind']} field has no options and takes one row",
                       "remove the option rows, or make the field a choice")  # fmt: skip
        for order, label in (("table2_order", "table2_label"), ("summary_order", "summary_label")):
            if pd.notna(first[order]) and (pd.isna(first[label]) or not str(first[label]).strip()):
                raise fail(f"{order} is set but {label} is empty",
                           f"give the field's {label}, or leave {order} empty")  # fmt: skip
        if first["kind"] == "count" and pd.notna(first["summary_order"]):
            raise fail("a count field is shown in Table 2 but not summarised by level",
                       "leave summary_order empty for count fields")  # fmt: skip
        fields.append(
            ParticipantField(
                field_id=str(field_id),
                kind=str(first["kind"]),
                table2_order=None if pd.isna(first["table2_order"]) else int(first["table2_order"]),
                table2_label=None if pd.isna(first["table2_label"]) else str(first["table2_label"]),
                summary_order=(
                    None if pd.isna(first["summary_order"]) else int(first["summary_order"])
                ),
                summary_label=(
                    None if pd.isna(first["summary_label"]) else str(first["summary_label"])
                ),
                options=tuple(str(o) for o in options["option_label"]),
            )
        )
    for order in ("table2_order", "summary_order"):
        taken = [getattr(f, order) for f in fields if getattr(f, order) is not None]
        twice = sorted({o for o in taken if taken.count(o) > 1})
        if twice:
            raise _error(path, f"{order} used by more than one field", [],
                         [f.field_id for f in fields if getattr(f, order) in twice],
                         f"give each field its own {order}")  # fmt: skip
    return tuple(fields)


def in_table2(fields: tuple[ParticipantField, ...]) -> list[ParticipantField]:
    return sorted((f for f in fields if f.table2_order is not None), key=lambda f: f.table2_order)


def summarised(fields: tuple[ParticipantField, ...]) -> list[ParticipantField]:
    return sorted((f for f in fields if f.summary_order is not None), key=lambda f: f.summary_order)
