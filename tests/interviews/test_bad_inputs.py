"""Each mistake the issue lists stops loading with the file, the row and a fix,
and a rule's outputs are written all-or-nothing."""

import shutil

import pandas as pd
import pandera.pandas as pa
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.interviews.outputs import write_tables
from tests.interviews.helpers import INTERVIEWS, load_paper

pytestmark = pytest.mark.bad_input


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "interviews"
    shutil.copytree(INTERVIEWS, folder)
    return folder


def edit_line(path, line_no, old, new):
    lines = path.read_text().splitlines(keepends=True)
    assert old in lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("".join(lines))


def error_of(folder) -> str:
    with pytest.raises(InputError) as err:
        load_paper("csv", folder)
    return str(err.value)


def test_participant_missing(raw):
    p = raw / "participants.csv"
    lines = p.read_text().splitlines(keepends=True)
    p.write_text("".join(line for line in lines if not line.startswith("P7,")))
    msg = error_of(raw)
    assert "coded_segments.csv" in msg and "participants.csv" in msg and "'P7'" in msg
    seg = pd.read_csv(raw / "coded_segments.csv")
    first = int(seg.index[seg["participant_id"] == "P7"][0]) + 2
    assert f"rows:    {first}," in msg


def test_unknown_code(raw):
    edit_line(raw / "coded_segments.csv", 5, ",rq2_021,", ",rq2_999,")
    msg = error_of(raw)
    assert "code that is not defined" in msg and "rows:    5 " in msg and "rq2_999" in msg


def test_unknown_subtheme(raw):
    p = raw / "coded_segments.csv"
    edit_line(p, 5, ",user_feedback,", ",user_feedbak,")
    msg = error_of(raw)
    assert "not in the codebook" in msg and "rows:    5 " in msg and "fix:" in msg


def test_code_assigned_to_two_subthemes_in_code_list(raw):
    p = raw / "codes.csv"
    with p.open("a") as fh:
        fh.write("rq1_001,RQ1,pretrain_data,Duplicate placement\n")
    msg = error_of(raw)
    assert "codes.csv" in msg and "two or more subthemes" in msg
    assert "rows:    2, 186 " in msg


def test_code_assigned_to_another_subtheme_by_a_segment(raw):
    # line 5 holds rq2_021 (user_feedback); move it to another RQ2 subtheme
    edit_line(raw / "coded_segments.csv", 5, ",user_feedback,", ",monitor_io,")
    msg = error_of(raw)
    assert "another subtheme" in msg and "rows:    5 " in msg


def test_duplicate_segment_ids(raw):
    edit_line(raw / "coded_segments.csv", 3, "s002,", "s001,")
    msg = error_of(raw)
    assert "duplicate segment id" in msg and "rows:    2, 3 " in msg


def test_nothing_written_when_one_table_is_bad(tmp_path):
    ok = pd.DataFrame({"x": [1]})
    bad = pd.DataFrame({"x": [-1]})
    schema = pa.DataFrameSchema({"x": pa.Column(int, pa.Check.ge(0))})
    with pytest.raises(InputError):
        write_tables([(ok, tmp_path / "a.csv", schema), (bad, tmp_path / "b.csv", schema)])
    assert list(tmp_path.iterdir()) == []
