"""The reader's error messages name file, column, rows and a fix."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import OutputSchemaError, read_table, write_table

SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str, unique=True),
        "score": pa.Column(int, pa.Check.in_range(1, 5), description="integer 1..5"),
    },
    strict=True,
    coerce=True,
)


def _write(tmp_path, text, name="t.csv", mode="w"):
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8", newline="")
    return p


def test_valid_table_reads(tmp_path):
    df = read_table(_write(tmp_path, "id,score\na,1\nb,5\n"), SCHEMA)
    assert df["score"].tolist() == [1, 5]


def test_bom_and_crlf_are_tolerated(tmp_path):
    p = _write(tmp_path, "\ufeffid,score\r\na,2\r\nb,3\r\n")
    assert read_table(p, SCHEMA)["id"].tolist() == ["a", "b"]


def test_out_of_range_names_rows_and_column(tmp_path):
    p = _write(tmp_path, "id,score\na,1\nb,9\nc,3\nd,0\n")
    with pytest.raises(InputError) as exc:
        read_table(p, SCHEMA)
    msg = str(exc.value)
    assert "t.csv" in msg and "score" in msg
    assert "3, 5" in msg  # file lines of b and d (header = line 1)
    assert "integer 1..5" in msg and "fix:" in msg


def test_missing_column(tmp_path):
    with pytest.raises(InputError, match="required column"):
        read_table(_write(tmp_path, "id\na\n"), SCHEMA)


def test_extra_column_in_strict_schema(tmp_path):
    with pytest.raises(InputError, match="unexpected column"):
        read_table(_write(tmp_path, "id,score,x\na,1,2\n"), SCHEMA)


def test_duplicate_ids(tmp_path):
    with pytest.raises(InputError) as exc:
        read_table(_write(tmp_path, "id,score\na,1\na,2\n"), SCHEMA)
    assert "id" in str(exc.value) and "2, 3" in str(exc.value)


def test_non_utf8_names_line(tmp_path):
    p = _write(tmp_path, b"id,score\na,1\n\xff,2\n")
    with pytest.raises(InputError) as exc:
        read_table(p, SCHEMA)
    assert "UTF-8" in str(exc.value) and "3" in str(exc.value)


def test_empty_file(tmp_path):
    with pytest.raises(InputError, match="empty"):
        read_table(_write(tmp_path, ""), SCHEMA)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_table(tmp_path / "nope.csv", SCHEMA)


def test_write_table_validates_before_writing(tmp_path):
    out = tmp_path / "out.csv"
    with pytest.raises(OutputSchemaError) as err:
        write_table(pd.DataFrame({"id": ["a"], "score": [7]}), out, SCHEMA)
    # A computed table that breaks its schema is the package's bug, not the user's input.
    assert "Bug in the package (not an input error)" in str(err.value)
    assert "score" in str(err.value) and "7" in str(err.value)
    assert not out.exists()
    assert not list(tmp_path.iterdir())  # no temporary file left behind


def test_write_table_float_format(tmp_path):
    schema = pa.DataFrameSchema({"x": pa.Column(float)})
    out = tmp_path / "f.csv"
    write_table(pd.DataFrame({"x": [1 / 3, 2.5]}), out, schema)
    assert out.read_text() == "x\n0.3333333333\n2.5\n"
