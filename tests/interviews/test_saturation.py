"""Saturation methods on hand-made interview sequences with answers worked out by hand."""

import pandas as pd
import pytest

from downstream_safety.interviews.saturation import curve, guest2006, guest2020, saturation_tables

# Subthemes per interview, in order. Distinct items: a b c d e f (6).
# cumulative: 2 (ab), 3 (+c), 3, 5 (+d e), 5, 6 (+f), 6, 6
SEQ = [{"a", "b"}, {"a", "c"}, {"b"}, {"d", "e"}, {"a"}, {"f"}, {"b"}, {"c"}]


def test_guest2006_batch_of_one_is_last_new_item():
    assert guest2006(SEQ, batch_size=1, coverage=1.0) == 6


def test_guest2006_batches_end_at_batch_boundary():
    # batches (1-3) -> 3 items, (4-6) -> 6 items: saturated at interview 6
    assert guest2006(SEQ, batch_size=3) == 6
    # batches (1-4) -> 5 items, (5-8) -> 6 items
    assert guest2006(SEQ, batch_size=4) == 8


def test_guest2006_coverage():
    # 80% of 6 = 4.8 -> need 5 items -> interview 4
    assert guest2006(SEQ, batch_size=1, coverage=0.8) == 4
    # 50% -> 3 items -> interview 2
    assert guest2006(SEQ, batch_size=1, coverage=0.5) == 2


def test_guest2020_rolling_runs():
    # base = interviews 1-2 -> {a, b, c}: 3 items.
    # run (3,4): new {d, e} -> 2/3 > 0.05; run (4,5): {d, e} new vs 1-3 -> 2/3;
    # run (5,6): {f} -> 1/3; run (6,7): {f} -> 1/3; run (7,8): {} -> 0 -> saturation at 8.
    assert guest2020(SEQ, base_size=2, run_length=2, threshold=0.05, step=1) == 8
    # threshold 1/3 accepts run (5,6) -> 6
    assert guest2020(SEQ, base_size=2, run_length=2, threshold=0.34, step=1) == 6


def test_guest2020_non_overlapping_runs_and_not_reached():
    # step 2: runs (3,4), (5,6), (7,8): first with ratio <= 0.34 is (5,6)
    assert guest2020(SEQ, base_size=2, run_length=2, threshold=0.34, step=2) == 6
    # base 4 = {a..e} (5 items); runs (5,6) -> 1/5 = 0.2; threshold 0.1 -> run (6,7): f new -> 0.2;
    # run (7,8): 0 -> 8
    assert guest2020(SEQ, base_size=4, run_length=2, threshold=0.1) == 8
    # a new item in the very last interview: never saturated
    assert guest2020([{"a"}, {"b"}, {"c"}], base_size=1, run_length=1, threshold=0.0) is None


def test_curve_counts_new_and_cumulative():
    items = pd.DataFrame(
        {
            "participant_id": ["P2", "P2", "P1", "P3", "P3"],
            "subtheme_id": ["s1", "s2", "s1", "s1", "s3"],
            "code_id": ["c1", "c2", "c1", "c9", "c3"],
        }
    )
    c = curve(items, ["P1", "P2", "P3", "P4"])
    assert c["new_subthemes"].tolist() == [1, 1, 1, 0]
    assert c["cumulative_subthemes"].tolist() == [1, 2, 3, 3]
    assert c["new_codes"].tolist() == [1, 1, 2, 0]
    assert c["pct_codes"].tolist() == pytest.approx([25.0, 50.0, 100.0, 100.0])


def test_saturation_tables_uses_interview_order_not_ids():
    participants = pd.DataFrame(
        {"participant_id": ["P1", "P2", "P3"], "interview_order": [3, 1, 2]}
    )
    seg = pd.DataFrame(
        {
            "participant_id": ["P1", "P2", "P3"],
            "rq": ["RQ1"] * 3,
            "subtheme_id": ["x", "y", "y"],
            "code_id": ["c1", "c2", "c2"],
        }
    )
    curves, summary = saturation_tables(
        seg, participants, batch_size=1, coverage=1.0, base_size=1, run_length=1,
        threshold=0.0, step=1,
    )  # fmt: skip
    rq1 = curves[curves["rq"] == "RQ1"]
    assert rq1["participant_id"].tolist() == ["P2", "P3", "P1"]
    got = summary.set_index(["rq", "method"])["saturation_interview"]
    # P1 (interview 3) brings x last
    assert got[("RQ1", "guest2006")] == 3
    # base {y}; run (2): nothing new -> saturated at 2
    assert got[("RQ1", "guest2020")] == 2
    assert pd.isna(got[("RQ2", "guest2006")])
