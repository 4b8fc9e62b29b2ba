"""The design views: what each holds, that reading one gives the design read from
the CSV files, and that a job using a part its view lacks is told it is a bug.

Expected table contents come from the CSV files read with the csv module."""

from __future__ import annotations

import csv
import json
import shutil
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from downstream_safety.common.errors import InputError
from downstream_safety.instruments import design as d
from downstream_safety.interviews.load import load_participants
from downstream_safety.paths import INSTRUMENTS, RAW, ROOT

SETTINGS = d.design_settings(yaml.safe_load((ROOT / "config/config.yaml").read_text()))
CODEBOOK = {"research_questions", "codebook_themes", "codebook_subthemes"}
SURVEY = {
    "survey_blocks", "survey_items", "survey_scales", "survey_missing_labels",
    "survey_contexts", "survey_demographics",
}  # fmt: skip


def _write(tmp_path, view, folder=INSTRUMENTS):
    path = tmp_path / f"{view}.json"
    d.write_view(path, view, d.view_tables(view, folder), SETTINGS)
    return path


def test_views_hold_only_their_groups_tables():
    # Written out by hand from the stages' needs (docs/instruments.md).
    expected = {
        "interviews": CODEBOOK,
        "participants": CODEBOOK | {"participant_fields"},
        "survey": CODEBOOK | SURVEY,
        "incidents": CODEBOOK,
        "analysis": CODEBOOK | SURVEY,
        "full": CODEBOOK | SURVEY | {"participant_fields"},
    }
    assert {v: set(spec.tables) for v, spec in d.VIEWS.items()} == expected
    assert set(d.VIEWS["survey"].settings) == {"screening", "screening_columns"}
    assert set(d.VIEWS["incidents"].settings) == {"taxonomy_rq"}
    assert d.VIEWS["interviews"].settings == d.VIEWS["participants"].settings == ()


@pytest.mark.parametrize("view", list(d.VIEWS))
def test_view_file_holds_the_csv_rows(tmp_path, view):
    doc = json.loads(_write(tmp_path, view).read_text())
    assert doc["view"] == view
    for table, spec in doc["tables"].items():
        with (INSTRUMENTS / d.DESIGN_TABLES[table]).open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        assert spec["columns"] == rows[0]
        assert spec["rows"] == [r for r in rows[1:] if r]
    assert set(doc["settings"]) == set(d.VIEWS[view].settings)


def test_full_view_reads_as_the_design_from_the_csv_files(tmp_path):
    direct = d.load_design(d.design_tables(INSTRUMENTS), SETTINGS)
    read = d.read_view(_write(tmp_path, "full"))
    for part in ["research_questions", "themes", "subthemes", "blocks", "items"]:
        pd.testing.assert_frame_equal(getattr(read, part), getattr(direct, part))
    parts = ["scales", "missing_labels", "contexts", "demographics", "participant_fields",
             "screening", "screening_columns", "taxonomy_rq"]  # fmt: skip
    for part in parts:
        assert getattr(read, part) == getattr(direct, part), part


def test_a_part_outside_the_view_is_a_bug_not_a_silent_default(tmp_path):
    interviews = d.read_view(_write(tmp_path, "interviews"))
    assert interviews.rqs == ["RQ1", "RQ2", "RQ3"]
    for use in [lambda: interviews.item_ids, lambda: list(interviews.participant_fields),
                lambda: interviews.taxonomy]:  # fmt: skip
        with pytest.raises(RuntimeError, match="Bug in the workflow.*does not hold"):
            use()
    assert not interviews.holds("participant_fields")
    assert d.read_view(_write(tmp_path, "participants")).holds("participant_fields")


def test_a_damaged_view_is_refused_as_a_bug(tmp_path):
    path = _write(tmp_path, "survey")
    doc = json.loads(path.read_text())
    del doc["tables"]["survey_scales"]
    path.write_text(json.dumps(doc))
    with pytest.raises(RuntimeError, match="Bug in the package.*survey.json"):
        d.read_view(path)


def test_a_bad_table_stops_the_view_rule_naming_the_file(tmp_path):
    folder = tmp_path / "instruments"
    shutil.copytree(INSTRUMENTS, folder)
    items = (folder / "survey_items.csv").read_text().splitlines()
    header = items[0].split(",")
    row = items[1].split(",")
    row[header.index("scale_id")] = "no_such_scale"
    (folder / "survey_items.csv").write_text("\n".join([items[0], ",".join(row), *items[2:]]))
    with pytest.raises(InputError, match="survey_items.csv"):
        d.write_view(tmp_path / "survey.json", "survey", d.view_tables("survey", folder), SETTINGS)
    # The interview view does not hold the survey tables: it is still written.
    d.write_view(tmp_path / "i.json", "interviews", d.view_tables("interviews", folder), SETTINGS)


def test_from_job_reads_the_declared_view_or_the_tables_of_older_rules(tmp_path):
    view = _write(tmp_path, "incidents")
    job = SimpleNamespace(input=SimpleNamespace(design=str(view)), params=SimpleNamespace())
    assert d.from_job(job).view == "incidents"
    tables = d.design_tables(INSTRUMENTS)

    class Input(dict):
        __getattr__ = dict.get

    old = SimpleNamespace(input=Input(tables), params=SimpleNamespace(design=SETTINGS))
    assert d.from_job(old).view == "full"


def test_participants_without_the_fields_view_check_ids_and_order_only(tmp_path):
    source = RAW / "interviews/participants.csv"
    with source.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_order = [r["participant_id"] for r in sorted(rows, key=lambda r: int(r["interview_order"]))]
    interviews = d.read_view(_write(tmp_path, "interviews"))
    assert load_participants(source, interviews)["participant_id"].tolist() == by_order
    # A duplicated interview order is still refused without the fields.
    lines = source.read_text().splitlines()
    header = next(csv.reader([lines[0]]))
    first = next(csv.reader([lines[1]]))
    second = next(csv.reader([lines[2]]))
    second[header.index("interview_order")] = first[header.index("interview_order")]
    bad = tmp_path / "participants.csv"
    with bad.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerows([header, first, second])
    with pytest.raises(InputError, match="interview_order"):
        load_participants(bad, interviews)
