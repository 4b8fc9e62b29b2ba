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
        seg, participants, ["RQ1", "RQ2"], batch_size=1, coverage=1.0, base_size=1, run_length=1,
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


def test_saturation_per_rq_with_a_fourth_free_form_rq():
    from tests.interviews.test_aggregate import FOUR, SEG4

    participants = pd.DataFrame(
        {"participant_id": ["P1", "P2", "P3", "P4"], "interview_order": [1, 2, 3, 4]}
    )
    curves, summary = saturation_tables(
        SEG4, participants, FOUR.rqs, batch_size=1, coverage=1.0, base_size=1, run_length=1,
        threshold=0.0, step=1,
    )  # fmt: skip
    assert list(dict.fromkeys(curves["rq"])) == ["RQ1", "RQ2", "RQ3", "Q-a"]
    qa = curves[curves["rq"] == "Q-a"]
    # subthemes per interview: {d}, {d, e}, {e}, {}; codes: {k5}, {k6, k7}, {k7}, {}
    assert qa["cumulative_subthemes"].tolist() == [1, 2, 2, 2]
    assert qa["pct_subthemes"].tolist() == pytest.approx([50.0, 100.0, 100.0, 100.0])
    assert qa["new_codes"].tolist() == [1, 2, 0, 0]
    assert qa["pct_codes"].tolist() == pytest.approx([100 / 3, 100.0, 100.0, 100.0])
    got = summary.set_index(["rq", "method"])["saturation_interview"]
    # guest2006: last new subtheme at interview 1 (RQ1: a), 3 (RQ2: b), 2 (Q-a: e); RQ3 none
    assert [got[(rq, "guest2006")] for rq in ["RQ1", "RQ2", "Q-a"]] == [1, 3, 2]
    assert pd.isna(got[("RQ3", "guest2006")])
    # guest2020, base = interview 1: RQ1 base {a}, run (2) adds nothing -> 2;
    # Q-a base {d}, run (2) adds e (1/1), run (3) adds nothing -> 3; RQ2 base empty -> none
    assert got[("RQ1", "guest2020")] == 2 and got[("Q-a", "guest2020")] == 3
    assert pd.isna(got[("RQ2", "guest2020")])


def twenty_four_interviews() -> tuple[pd.DataFrame, pd.DataFrame]:
    """P1..P24 held in reverse id order; the i-th interview mentions subtheme
    s<(i-1)//4> (new at interviews 1, 5, 9, 13, 17, 21) and the last one also s6."""
    pids = [f"P{24 - i}" for i in range(24)]  # interview 1 is P24
    participants = pd.DataFrame({"participant_id": pids, "interview_order": range(1, 25)})
    rows = [(pid, "RQ1", f"s{i // 4}", f"c{i // 4}") for i, pid in enumerate(pids)]
    rows.append((pids[-1], "RQ1", "s6", "c6"))
    seg = pd.DataFrame(rows, columns=["participant_id", "rq", "subtheme_id", "code_id"])
    return participants, seg


def test_twenty_four_interviews():
    participants, seg = twenty_four_interviews()
    curves, summary = saturation_tables(
        seg, participants, ["RQ1"], batch_size=1, coverage=1.0, base_size=4, run_length=2,
        threshold=0.05, step=1,
    )  # fmt: skip
    assert curves["interview_order"].tolist() == list(range(1, 25))
    assert curves["participant_id"].tolist()[:2] == ["P24", "P23"]
    assert curves["cumulative_subthemes"].tolist()[11] == 3  # s0 s1 s2 after interview 12
    assert curves["cumulative_subthemes"].tolist()[-1] == 7
    got = summary.set_index("method")["saturation_interview"]
    assert got["guest2006"] == 24  # s6 first appears in the last interview
    # base = interviews 1-4 = {s0}; run (5, 6) adds s1 (1/1); run (6, 7) adds nothing -> 7
    assert got["guest2020"] == 7
    per = [
        set(seg.loc[seg["participant_id"] == p, "subtheme_id"])
        for p in participants["participant_id"]
    ]
    # 80% of 7 subthemes = 5.6 -> 6 needed, reached when s5 appears at interview 21
    assert guest2006(per, batch_size=1, coverage=0.8) == 21
