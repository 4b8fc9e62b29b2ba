"""The input contract: what a wave file may look like, and each bad input."""

from __future__ import annotations

import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.survey.load import read_wave, read_waves
from tests.survey.helpers import paper_design, wave_frame, write_wave

D = paper_design()


def _three(tmp_path, name="w.csv"):
    return write_wave(wave_frame([{}, {"imp_reliability": 5}, {}]), tmp_path / name)


def _error(waves) -> str:
    with pytest.raises(InputError) as exc:
        read_waves(waves, D)
    return str(exc.value)


def test_bom_crlf_extra_columns_and_column_order_are_tolerated(tmp_path, caplog):
    df = wave_frame([{}, {"imp_reliability": 5}])
    df.insert(0, "Duration (in seconds)", ["600", "700"])
    df = df[list(reversed(df.columns))]
    path = write_wave(df, tmp_path / "w.csv", encoding="utf-8-sig", lineterminator="\r\n")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with caplog.at_level("INFO"):
        (wave,) = read_waves([{"id": "w", "responses": str(path)}], D)
    assert wave.extra_columns == ["Duration (in seconds)"]
    assert "Duration (in seconds)" in caplog.text
    assert wave.responses["imp_reliability"].tolist() == [3.0, 5.0]
    assert wave.responses["respondent_id"].tolist() == ["R001", "R002"]


def test_missing_labels_become_missing_answers(tmp_path):
    df = wave_frame([{"imp_reliability": 0}, {}, {}])
    df.loc[1, "imp_reliability"] = "Does not apply"
    df.loc[2, "imp_reliability"] = ""
    wave = read_wave("w", write_wave(df, tmp_path / "w.csv"), D)
    assert wave.responses["imp_reliability"].isna().all()


@pytest.mark.bad_input
@pytest.mark.parametrize("bad", ["Very Important", "5"])
def test_unknown_label(tmp_path, bad):
    df = wave_frame([{}, {}, {}])
    df.loc[1, "imp_harmful_output"] = bad
    path = write_wave(df, tmp_path / "w.csv")
    msg = _error([{"id": "w1", "responses": str(path)}])
    assert "w1" in msg and "w.csv" in msg
    assert "imp_harmful_output" in msg
    assert "rows:    3 " in msg  # header = line 1, second respondent = line 3
    assert repr(bad) in msg
    assert "Very important" in msg and "Extremely important" in msg  # accepted labels


@pytest.mark.bad_input
def test_unknown_demographic_label(tmp_path):
    df = wave_frame([{}, {}], ai_projects=["1-5", "lots"])
    msg = _error([{"id": "w1", "responses": str(write_wave(df, tmp_path / "w.csv"))}])
    assert "ai_projects" in msg and "'lots'" in msg and "More than 25" in msg


@pytest.mark.bad_input
def test_missing_item_column(tmp_path):
    df = wave_frame([{}, {}]).drop(columns=["agr_knowledge_gap"])
    msg = _error([{"id": "w1", "responses": str(write_wave(df, tmp_path / "w.csv"))}])
    assert "required column(s) missing" in msg and "agr_knowledge_gap" in msg and "w1" in msg


@pytest.mark.bad_input
def test_duplicate_respondent_id(tmp_path):
    df = wave_frame([{}, {}, {}])
    df.loc[2, "respondent_id"] = "R001"
    msg = _error([{"id": "w1", "responses": str(write_wave(df, tmp_path / "w.csv"))}])
    assert "duplicate respondent_id" in msg and "2, 4" in msg and "'R001'" in msg


@pytest.mark.bad_input
def test_empty_file(tmp_path):
    (tmp_path / "w.csv").write_bytes(b"")
    msg = _error([{"id": "w1", "responses": str(tmp_path / "w.csv")}])
    assert "empty" in msg and "w1" in msg


@pytest.mark.bad_input
def test_header_only(tmp_path):
    df = wave_frame([{}]).iloc[:0]
    msg = _error([{"id": "w1", "responses": str(write_wave(df, tmp_path / "w.csv"))}])
    assert "survey wave 'w1'" in msg and "header but no rows" in msg


@pytest.mark.bad_input
def test_duplicate_wave_id(tmp_path):
    path = str(_three(tmp_path))
    msg = _error([{"id": "w1", "responses": path}, {"id": "w1", "responses": path}])
    assert "more than once" in msg and "'w1'" in msg


@pytest.mark.bad_input
def test_reserved_wave_id(tmp_path):
    msg = _error([{"id": "all", "responses": str(_three(tmp_path))}])
    assert "reserved" in msg


@pytest.mark.bad_input
def test_missing_file(tmp_path):
    msg = _error([{"id": "w2", "responses": str(tmp_path / "nope.csv")}])
    assert "does not exist" in msg and "nope.csv" in msg and "w2" in msg


@pytest.mark.bad_input
def test_non_utf8(tmp_path):
    path = _three(tmp_path)
    raw = path.read_bytes().replace(b"R002", b"R\xe9002")
    path.write_bytes(raw)
    msg = _error([{"id": "w1", "responses": str(path)}])
    assert "UTF-8" in msg and "rows:    3" in msg


@pytest.mark.bad_input
def test_all_waves_reported_at_once(tmp_path):
    good = str(_three(tmp_path))
    msg = _error(
        [
            {"id": "a", "responses": good},
            {"id": "b", "responses": str(tmp_path / "missing_b.csv")},
            {"id": "c", "responses": str(tmp_path / "missing_c.csv")},
        ]
    )
    assert "missing_b.csv" in msg and "missing_c.csv" in msg
