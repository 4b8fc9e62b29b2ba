"""Reading and writing the package's CSV tables through pandera schemas.

Raw tables are read as text first so that the schema, not pandas' type
guessing, decides what is valid; intermediates are validated before they are
written, and written atomically so an interrupted job leaves nothing that a
later run could mistake for a finished output.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from downstream_safety.common.atomic import atomic_write_bytes, atomic_write_text  # noqa: F401
from downstream_safety.common.errors import InputError, combine
from downstream_safety.paths import rel

FLOAT_FORMAT = "%.10g"
# The csv module refuses fields over 128 KiB by default; a long free-text cell
# is legitimate and is judged by the schema, not by the parser.
csv.field_size_limit(2**31 - 1)


def read_text(path: Path | str) -> str:
    """Decode a file as UTF-8 (BOM tolerated, CRLF normalised) or fail with the line."""
    p = Path(path)
    if not p.exists():
        raise InputError(rel(p), "file does not exist", fix="check the path in config/config.yaml")
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            rel(p),
            f"bytes are not valid UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 1]!r})",
            rows=[line],
            fix="re-export the file as UTF-8 (e.g. 'CSV UTF-8' in Excel or the survey tool)",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_intermediate(path: Path) -> bool:
    """Tables under data/processed/ may legitimately be empty; inputs may not."""
    try:
        path.resolve().relative_to(Path("data/processed").resolve())
    except ValueError:
        return False
    return True


def _check_field_counts(text: str, p: Path) -> None:
    """Every row must have as many fields as the header.

    pandas would silently pad a cut-off last line with empty cells, or turn
    surplus fields into an index; the csv module lets us name the lines.
    """
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    bad = [reader.line_num for row in reader if row and len(row) != len(header)]
    if bad:
        raise InputError(
            rel(p),
            f"row(s) whose number of fields differs from the header's {len(header)} "
            "(a cut-off line, a stray delimiter or an unquoted comma)",
            rows=bad,
            fix="re-export the file, or quote fields that contain commas",
        )


def read_csv_text(
    path: Path | str, *, required: list[str] | None = None, allow_empty: bool = False
) -> pd.DataFrame:
    """Read a CSV with every cell as a string; empty cells stay empty strings.

    Input tables may not be header-only unless ``allow_empty`` says an empty
    table is meaningful (e.g. a study with no concern contexts).
    """
    p = Path(path)
    text = read_text(p)
    if not text.strip():
        raise InputError(rel(p), "file is empty", fix="export the table with its header row")
    _check_field_counts(text, p)
    try:
        df = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, index_col=False
        )
    except pd.errors.ParserError as exc:
        raise InputError(
            rel(p),
            f"not a well-formed CSV: {exc}",
            fix="check quoting and the number of fields on the reported line",
        ) from None
    dup = [c for c in df.columns if "." in c and c.rsplit(".", 1)[0] in df.columns]
    if dup:
        raise InputError(
            rel(p),
            "duplicated column name(s)",
            values=[c.rsplit(".", 1)[0] for c in dup],
            fix="keep one column of each name",
        )
    stripped = {c: c.strip() for c in df.columns}
    df = df.rename(columns=stripped)
    if df.empty and not allow_empty and not _is_intermediate(p):
        raise InputError(
            rel(p),
            "the table has a header but no rows",
            fix="export the table with its data rows (an input table cannot be empty)",
        )
    if required:
        missing = [c for c in required if c not in df.columns]
        if missing:
            raise InputError(
                rel(p),
                "required column(s) missing",
                column=", ".join(missing),
                fix=f"add the column(s); the file has: {', '.join(df.columns)}",
            )
    return df


def _schema_error(err: pa.errors.SchemaErrors, path: str, schema: pa.DataFrameSchema):
    fc = err.failure_cases.copy()
    problems: list[InputError] = []
    for (column, check), group in fc.groupby(["column", "check"], dropna=False, sort=True):
        col = None if pd.isna(column) else str(column)
        idx = [i for i in group["index"].tolist() if i is not None and not pd.isna(i)]
        rows = [int(i) + 2 for i in idx]
        values = group["failure_case"].tolist()
        expected = ""
        fix = None
        if col is not None and col in schema.columns:
            c = schema.columns[col]
            expected = f" (expected: {c.description})" if c.description else ""
            fix = (c.metadata or {}).get("fix")
        if fix is None:
            fix = (schema.metadata or {}).get("fix", "correct the listed values")
        problems.append(
            InputError(
                path,
                f"failed check {check}{expected}",
                column=col,
                rows=rows,
                values=values,
                fix=fix,
            )
        )
    return combine(problems)


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema, path: Path | str) -> pd.DataFrame:
    """Validate lazily so that every problem of the table is reported at once."""
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise _schema_error(err, rel(path), schema) from None


def _is_text(col: pa.Column) -> bool:
    return col.dtype is None or str(col.dtype).startswith(("str", "object"))


def read_table(
    path: Path | str, schema: pa.DataFrameSchema, *, allow_empty: bool = False
) -> pd.DataFrame:
    """Read a CSV as text and validate (and coerce) it with ``schema``."""
    required = [n for n, c in schema.columns.items() if c.required]
    df = read_csv_text(path, required=required, allow_empty=allow_empty)
    return check_text_table(df, schema, path)


def check_text_table(
    df: pd.DataFrame, schema: pa.DataFrameSchema, path: Path | str
) -> pd.DataFrame:
    """Validate (and coerce) a table read as text, as :func:`read_table` does after reading.

    Also used on tables kept as text elsewhere (the design views), so both give the
    same values and the same messages, which name ``path``.
    """
    if schema.strict is True:
        extra = [c for c in df.columns if c not in schema.columns]
        if extra:
            raise InputError(
                rel(path),
                "unexpected column(s)",
                column=", ".join(extra),
                fix=f"remove them; expected columns: {', '.join(schema.columns)}",
            )
    # Empty strings mean "no value" for non-string columns.
    for name, col in schema.columns.items():
        if name in df.columns and str(col.dtype) == "bool":
            df[name] = _truth_values(df[name], path, name)
        elif name in df.columns and not _is_text(col):
            df[name] = df[name].replace("", None)
    return validate(df, schema, path)


_TRUTH = {"true": True, "false": False}


def _truth_values(text: pd.Series, path: Path | str, column: str) -> pd.Series:
    """Words to booleans: coercing text with ``bool()`` would make "False" true."""
    words = text.str.strip().str.lower()
    bad = ~words.isin(list(_TRUTH)) & (words != "")
    if bad.any():
        raise InputError(
            rel(path),
            "value(s) that are not True or False",
            column=column,
            rows=(text.index[bad] + 2).tolist(),
            values=sorted(set(text[bad])),
            fix="write True or False (an empty cell means no value)",
        )
    return words.map(_TRUTH).astype(object).where(words != "", None)


def to_csv_text(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, lineterminator="\n", float_format=FLOAT_FORMAT)


class OutputSchemaError(RuntimeError):
    """A table the package computed breaks its own schema: a bug, not bad input."""


def write_table(df: pd.DataFrame, path: Path | str, schema: pa.DataFrameSchema) -> None:
    """Validate an intermediate against its schema, then write it atomically."""
    try:
        checked = validate(df.reset_index(drop=True), schema, path)
    except InputError as err:
        raise OutputSchemaError(
            f"Bug in the package (not an input error): the table it computed for {rel(path)} "
            f"breaks its own schema '{schema.name}'.\n{err}\n"
            "Nothing was written. Please report this with the configuration and inputs used."
        ) from None
    atomic_write_text(path, to_csv_text(checked))
