"""datapackage.json is generated from the pandera schemas and describes valid data."""

from __future__ import annotations

import frictionless

from downstream_safety.common import datapackage
from downstream_safety.paths import ROOT


def test_raw_datapackage_is_current(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert datapackage.main(["--check"]) == 0, (
        "run: python -m downstream_safety.common.datapackage --raw"
    )


def test_raw_data_valid_under_frictionless():
    report = frictionless.validate(str(ROOT / "data" / "raw" / "datapackage.json"))
    problems = [(t.name, [e.message for e in t.errors[:3]]) for t in report.tasks if not t.valid]
    assert report.valid, problems


def test_every_raw_csv_has_a_schema():
    import yaml

    from tests.incidents.helpers import paper_design

    # Wave files are described for the waves the config names (survey.waves).
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    waves = config["survey"]["waves"]
    raw = datapackage.package_descriptor("raw", paper_design(), waves=waves, title="T")
    described = {r["path"] for r in raw["resources"]}
    csvs = {
        p.relative_to(ROOT / "data" / "raw").as_posix()
        for p in (ROOT / "data" / "raw").rglob("*.csv")
    }
    assert csvs - described == set(), (
        "raw CSV files without a pandera schema in a stage's tables(design)"
    )


def test_processed_package_describes_only_the_produced_tables(tmp_path, monkeypatch):
    from tests.incidents.helpers import paper_design

    monkeypatch.chdir(tmp_path)
    produced = ["data/processed/incidents/subtheme_counts.csv", "paper/tables/table3.csv"]
    desc = datapackage.package_descriptor(
        "processed", paper_design(), set(produced), title="A follow-up"
    )
    assert [r["path"] for r in desc["resources"]] == ["incidents/subtheme_counts.csv"]
    assert desc["title"] == "A follow-up: processed data"
    # without the incident strand there is no triangulation table to describe
    no_incidents = paper_design(None)
    assert "data/processed/incidents/triangulation.csv" not in datapackage.all_tables(no_incidents)


def test_packages_take_the_studys_title_and_provenance():
    from tests.incidents.helpers import paper_design

    own = datapackage.package_descriptor("raw", paper_design(), title="Pilot", reconstructed=False)
    assert own["title"] == "Pilot: raw data"
    assert own["description"] == "The study's records, plus the study instruments."
    paper = datapackage.package_descriptor("raw", paper_design(), title="P", reconstructed=True)
    assert paper["description"].startswith("Reconstructed records calibrated")


def test_tables_are_looked_up_in_the_workflows_stages(tmp_path, monkeypatch):
    from tests.incidents.helpers import paper_design

    monkeypatch.chdir(tmp_path)
    produced = [
        "data/processed/incidents/subtheme_counts.csv",
        "data/processed/survey/responses.csv",
    ]
    # "package" is a stage of the workflow without tables of its own.
    desc = datapackage.package_descriptor(
        "processed", paper_design(), set(produced), stages=["incidents", "package"], title="T"
    )
    assert [r["path"] for r in desc["resources"]] == ["incidents/subtheme_counts.csv"]
    # Without the workflow's list, every stage package with a schemas module counts.
    assert datapackage.schema_stages() == sorted(
        p.parent.name for p in (ROOT / "src/downstream_safety").glob("*/schemas.py")
    )
