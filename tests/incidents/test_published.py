"""The committed (reconstructed) raw files give the published numbers, and the
generator reproduces them byte for byte. Expected values are the paper's."""

from __future__ import annotations

import pytest

from downstream_safety.incidents.agreement import agreement_tables
from downstream_safety.incidents.counts import cooccurrence, subtheme_counts
from downstream_safety.incidents.load import load_adjudicated, load_annotations
from reconstruction import incidents as generate
from tests.incidents.helpers import ADJUDICATED, ANNOTATIONS, LABELS, TAXONOMY, needs_snapshot

PUBLISHED_COUNTS = {  # Table 3 of the paper
    "finetune_data": 66,
    "pretrain_data": 4,
    "data_management": 27,
    "data_leakage": 18,
    "harmful_output": 283,
    "reliability": 440,
    "malicious_use": 242,
    "irresponsible_use": 270,
}
PUBLISHED_PCT = {
    "reliability": 50.3,
    "harmful_output": 32.4,
    "irresponsible_use": 30.9,
    "malicious_use": 27.7,
    "finetune_data": 7.6,
    "pretrain_data": 0.5,
    "data_management": 3.1,
    "data_leakage": 2.1,
}


@pytest.fixture(scope="module")
def raw():
    ann = load_annotations(ANNOTATIONS, TAXONOMY)
    return ann, load_adjudicated(ADJUDICATED, TAXONOMY, ann, ANNOTATIONS)


def test_counts_and_percentages(raw):
    _, adj = raw
    assert len(adj) == 874
    c = subtheme_counts(adj, LABELS).set_index("subtheme_id")
    assert c["n_incidents"].to_dict() == PUBLISHED_COUNTS
    for sub, pct in PUBLISHED_PCT.items():
        assert round(c.loc[sub, "pct"], 1) == pct, sub


def test_reliability_and_irresponsible_use_overlap(raw):
    co = cooccurrence(raw[1], LABELS).set_index(["subtheme_a", "subtheme_b"])
    n = co.loc[("reliability", "irresponsible_use"), "n_incidents"]
    assert n == 132 and round(100 * n / 874, 1) == 15.1


def test_calibration_kappa_and_design(raw):
    ann, _ = raw
    rounds, _ = agreement_tables(ann, LABELS)
    r = rounds.set_index("round")
    assert round(r.loc["calibration", "kappa"], 2) == 0.71
    assert (
        r.loc["calibration_1", "n_incidents"] == 50 and r.loc["calibration_2", "n_incidents"] == 50
    )
    later = r[r.index.str.startswith("round_")]["n_incidents"]
    assert (later <= 100).all() and later.sum() == 774
    assert sorted(ann["annotator"].unique()) == ["A", "B"]


@needs_snapshot
@pytest.mark.snapshot
def test_generator_reproduces_committed_files():
    assert generate.main(["--check"]) == 0
