"""Enrichment on the shared real snapshot and on small invented snapshots."""

from __future__ import annotations

import pandas as pd
import pytest

from downstream_safety.common.tableio import read_table
from downstream_safety.incidents import enrich, schemas
from downstream_safety.incidents.load import load_all
from downstream_safety.incidents.snapshot import load_incidents, load_mit
from downstream_safety.paths import DEFAULT_AIID_SNAPSHOT
from tests.incidents.helpers import (
    ADJUDICATED,
    ANNOTATIONS,
    CROSSWALK,
    KEYWORD_RULES,
    LABELS,
    fake_snapshot,
    needs_snapshot,
    paper_design,
)


@pytest.fixture(scope="module")
def tables():
    return read_table(CROSSWALK, schemas.crosswalk("RQ1")), read_table(
        KEYWORD_RULES, schemas.KEYWORD_RULES
    )


@needs_snapshot
@pytest.mark.snapshot
def test_real_snapshot_enrichment_and_worksheet(tables):
    crosswalk, rules = tables
    ann, adj = load_all(
        paper_design(), ANNOTATIONS, ADJUDICATED, DEFAULT_AIID_SNAPSHOT, CROSSWALK, KEYWORD_RULES
    )
    incidents, mit = load_incidents(DEFAULT_AIID_SNAPSHOT), load_mit(DEFAULT_AIID_SNAPSHOT)
    assert len(incidents) == 989
    # the annotated set is the 874 lowest ids of the snapshot
    assert sorted(adj["incident_id"]) == sorted(incidents["incident_id"])[:874]
    enriched = schemas.enriched("RQ1").validate(enrich.enrich(adj, incidents, mit))
    assert len(enriched) == 874 and (enriched["title"] != "").all()
    assert set(mit["mit_code"]) <= set(crosswalk["mit_code"])
    per_year = enrich.per_year(enriched, LABELS)
    assert per_year.groupby("subtheme_id")["n_incidents"].sum()["reliability"] == 440
    agree = schemas.CROSSWALK_AGREEMENT.validate(
        enrich.crosswalk_agreement(enriched, crosswalk, LABELS)
    )
    assert agree.set_index("subtheme_id").loc["all", "n_incidents"] == len(
        set(mit["incident_id"]) & set(adj["incident_id"])
    )
    sheet = schemas.worksheet("RQ1").validate(
        enrich.worksheet(incidents, set(ann["incident_id"]), mit, crosswalk, rules, LABELS)
    )
    assert len(sheet) == 115
    assert set(sheet["incident_id"]) == set(incidents["incident_id"]) - set(adj["incident_id"])
    assert (sheet["labels"] == "").all()


def test_worksheet_prefers_mit_then_keywords(tmp_path, tables):
    crosswalk, rules = tables
    snap = fake_snapshot(
        tmp_path / "s", ids=(1, 2, 3, 4), mit={2: "7.3. Lack of capability or robustness"}
    )
    inc, mit = load_incidents(snap), load_mit(snap)
    inc.loc[inc["incident_id"] == 4, ["title", "description"]] = [
        "Invented",
        "nothing to match here",
    ]
    sheet = enrich.worksheet(inc, {1}, mit, crosswalk, rules, LABELS).set_index("incident_id")
    assert sheet.index.tolist() == [2, 3, 4]
    assert sheet.loc[2, ["suggested_labels", "source", "evidence"]].tolist() == [
        "reliability",
        "mit_crosswalk",
        "MIT 7.3",
    ]
    # "failed" and "leaked" in the invented description
    assert sheet.loc[3, "source"] == "keywords"
    assert sheet.loc[3, "suggested_labels"] == "data_leakage;reliability"
    assert sheet.loc[4, ["suggested_labels", "source"]].tolist() == ["", "none"]


def test_crosswalk_agreement_hand_case():
    crosswalk = pd.DataFrame(
        {"mit_code": ["1.1", "7.3"], "subtheme_ids": ["harmful_output", "reliability"]}
    )
    enriched = pd.DataFrame(
        {
            "incident_id": [1, 2, 3, 4],
            "labels": ["harmful_output", "reliability", "harmful_output", "malicious_use"],
            "mit_code": ["1.1", "7.3", "7.3", ""],
        }
    )
    agree = enrich.crosswalk_agreement(enriched, crosswalk, LABELS).set_index("subtheme_id")
    # 3 incidents with an MIT code; reliability: crosswalk 0,1,1 vs annotation 0,1,0
    assert agree.loc["reliability", "n_incidents"] == 3
    assert agree.loc["reliability", "agreement"] == pytest.approx(2 / 3)
    assert agree.loc["reliability", ["n_crosswalk", "n_annotated"]].tolist() == [2, 1]


def test_per_year_counts():
    enriched = pd.DataFrame(
        {"year": [2020, 2020, 2021], "labels": ["reliability", "reliability;malicious_use", ""]}
    )
    py = enrich.per_year(enriched, LABELS).set_index(["year", "subtheme_id"])["n_incidents"]
    assert (
        py[(2020, "reliability")] == 2
        and py[(2020, "malicious_use")] == 1
        and py[(2021, "reliability")] == 0
    )
    assert len(py) == 2 * len(LABELS)
