"""Inputs a user may get wrong: each stops with the file, rows and a fix."""

from __future__ import annotations

import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.incidents.load import load_adjudicated, load_all, load_annotations
from downstream_safety.incidents.snapshot import load_incidents, load_mit
from tests.incidents.helpers import INCIDENTS, TAXONOMY, fake_snapshot, paper_design, write
from tests.reliability import workflow_copy as W

pytestmark = pytest.mark.bad_input
DESIGN = paper_design()
CROSSWALK = INCIDENTS / "mit_crosswalk.csv"
RULES = INCIDENTS / "keyword_rules.csv"

ANN = (
    "incident_id,annotator,round,labels\n"
    "1,A,calibration_1,reliability\n"
    "1,B,calibration_1,reliability;malicious_use\n"
    "2,A,calibration_1,\n"
    "2,B,calibration_1,harmful_output\n"
)
ADJ = "incident_id,labels\n1,reliability\n2,harmful_output\n"


def _files(tmp_path, ann=ANN, adj=ADJ):
    return write(tmp_path / "annotations.csv", ann), write(tmp_path / "adjudicated.csv", adj)


def test_good_files_load(tmp_path):
    a, d = _files(tmp_path)
    ann, adj = load_all(DESIGN, a, d, fake_snapshot(tmp_path / "snap"), CROSSWALK, RULES)
    assert len(ann) == 4 and len(adj) == 2


def test_unknown_label(tmp_path):
    a = write(tmp_path / "annotations.csv", ANN.replace("harmful_output", "harmfull_output"))
    with pytest.raises(InputError) as e:
        load_annotations(a, TAXONOMY)
    err = e.value
    assert err.file.endswith("annotations.csv") and err.rows == [5] and err.column == "labels"
    assert "harmfull_output" in err.values and "reliability" in err.fix


def test_label_with_spaces_is_rejected(tmp_path):
    a = write(
        tmp_path / "annotations.csv",
        ANN.replace("reliability;malicious_use", "reliability; malicious_use"),
    )
    with pytest.raises(InputError) as e:
        load_annotations(a, TAXONOMY)
    assert e.value.rows == [3] and e.value.fix


def test_same_annotator_twice_in_a_round(tmp_path):
    a = write(tmp_path / "annotations.csv", ANN + "1,A,calibration_1,harmful_output\n")
    with pytest.raises(InputError) as e:
        load_annotations(a, TAXONOMY)
    assert e.value.rows == [2, 6] and "one row per incident" in e.value.fix


def test_adjudicated_incident_not_annotated(tmp_path):
    a, d = _files(tmp_path, adj=ADJ + "7,reliability\n")
    ann = load_annotations(a, TAXONOMY)
    with pytest.raises(InputError) as e:
        load_adjudicated(d, TAXONOMY, ann, a)
    assert (
        e.value.file.endswith("adjudicated.csv") and e.value.rows == [4] and e.value.values == [7]
    )


def test_incident_absent_from_snapshot(tmp_path):
    a, d = _files(tmp_path)
    snap = fake_snapshot(tmp_path / "snap", ids=(1, 3))
    with pytest.raises(InputError) as e:
        load_all(DESIGN, a, d, snap, CROSSWALK, RULES)
    text = str(e.value)
    assert "absent from the AIID snapshot" in text
    assert "annotations.csv" in text and "adjudicated.csv" in text
    assert "rows:    4, 5" in text and "rows:    3" in text


def test_snapshot_without_incidents_csv(tmp_path):
    (tmp_path / "snap").mkdir()
    with pytest.raises(InputError) as e:
        load_incidents(tmp_path / "snap")
    assert e.value.file.endswith("incidents.csv") and e.value.fix


def test_snapshot_folder_missing(tmp_path):
    with pytest.raises(InputError) as e:
        load_incidents(tmp_path / "nowhere")
    assert "aiid_snapshot" in e.value.fix


def test_snapshot_changed_columns(tmp_path):
    snap = fake_snapshot(tmp_path / "snap")
    f = snap / "incidents.csv"
    f.write_text(f.read_text().replace(",title", ",headline", 1))
    with pytest.raises(InputError) as e:
        load_incidents(snap)
    assert e.value.column == "title" and "headline" in e.value.values


def test_snapshot_malformed_json_array(tmp_path):
    snap = fake_snapshot(tmp_path / "snap")
    f = snap / "incidents.csv"
    lines = f.read_text().splitlines()
    lines[2] = lines[2].replace('"[""acme""]"', '"[""acme"""', 1)
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as e:
        load_incidents(snap)
    assert e.value.rows == [3] and e.value.column == "Alleged deployer of AI system"
    assert "JSON array" in e.value.fix


def test_mit_subdomain_without_code(tmp_path):
    snap = fake_snapshot(tmp_path / "snap", mit={1: "7.3. Lack of capability", 2: "Robustness"})
    with pytest.raises(InputError) as e:
        load_mit(snap)
    assert e.value.rows == [3] and e.value.column == "Risk Subdomain"


@pytest.mark.slow
def test_bad_input_stops_snakemake_parse(tmp_path):
    """The workflow's own parse_time_check (workflow/rules/common.smk) stops a real
    Snakemake run on a bad adjudicated.csv, with the loader's message, before any job."""
    copy = W.make_copy(tmp_path)
    adj = copy / "data/raw/incidents/adjudicated.csv"
    adj.write_text(adj.read_text() + "999999,reliability\n")
    # Re-pin so that the table's own check, not the raw-data manifest, has to catch it.
    pin = W.run_python(copy, "-m", "downstream_safety.reliability.manifest", "--update", str(adj))
    assert pin.returncode == 0, pin.stderr
    res = W.snakemake(copy, "-n", "--cores", "1")
    text = res.stdout + res.stderr
    assert res.returncode != 0, text[-2000:]
    assert "Building DAG" not in text, "the fault was caught only after parsing"
    assert "Invalid input in data/raw/incidents/adjudicated.csv" in text, text[-2000:]
    assert "999999" in text and "fix:" in text
