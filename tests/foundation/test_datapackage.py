"""datapackage.json is generated from the pandera schemas and describes valid data."""

from __future__ import annotations

import frictionless

from downstream_safety.common import datapackage
from downstream_safety.paths import ROOT


def test_raw_datapackage_is_current():
    assert datapackage.main(["--check"]) == 0, (
        "run: python -m downstream_safety.common.datapackage --raw"
    )


def test_raw_data_valid_under_frictionless():
    report = frictionless.validate(str(ROOT / "data" / "raw" / "datapackage.json"))
    problems = [(t.name, [e.message for e in t.errors[:3]]) for t in report.tasks if not t.valid]
    assert report.valid, problems


def test_every_raw_csv_has_a_schema():
    described = {r["path"] for r in datapackage.package_descriptor("raw")["resources"]}
    csvs = {
        p.relative_to(ROOT / "data" / "raw").as_posix()
        for p in (ROOT / "data" / "raw").rglob("*.csv")
    }
    assert csvs - described == set(), "raw CSV files without a pandera schema in a TABLES dict"
