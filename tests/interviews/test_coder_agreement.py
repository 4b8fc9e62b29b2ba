"""Inter-coder agreement against hand-computed tables.

Case 1: a 10-character source, coder A codes [0, 4), coder B [2, 6): both 2,
neither 4, A only 2, B only 2; p_o = 0.6, p_e = 0.4*0.4 + 0.6*0.6 = 0.52,
kappa = 0.08 / 0.48 = 1/6. Case 2 adds a 20-character source both code [0, 10):
pooled table 12/14/2/2 over 30 characters, kappa = (780 - 452) / (900 - 452) =
328/448. Presence alpha: coder 1 says [1, 1, 0, 0], coder 2 [1, 0, 0, 0] over four
participant-subtheme cells; coincidences o00 = 4, o01 = o10 = 1, o11 = 2, n = 8,
alpha = 1 - 7 * 2 / (2 * 5 * 3) = 8/15.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from downstream_safety.interviews.coder_agreement import (
    POOLED,
    character_agreement,
    presence_alpha,
)


def _codings(rows):
    return pd.DataFrame(rows, columns=["unit", "source", "coder", "start", "end"])


def test_one_source_by_hand():
    out = character_agreement(
        _codings([("c1", "s1", "A", 0, 4), ("c1", "s1", "B", 2, 6)]), {"s1": 10}
    )
    row = out[(out["source"] == "s1")].iloc[0]
    assert (row.both, row.neither, row.only_a, row.only_b) == (2, 4, 2, 2)
    assert row.pct_agreement == pytest.approx(60.0)
    assert row.kappa == pytest.approx(1 / 6)


def test_pooled_over_sources_sums_the_character_tables():
    rows = [
        ("c1", "s1", "A", 0, 4),
        ("c1", "s1", "B", 2, 6),
        ("c1", "s2", "A", 0, 10),
        ("c1", "s2", "B", 0, 10),
    ]
    out = character_agreement(_codings(rows), {"s1": 10, "s2": 20})
    s2 = out[out["source"] == "s2"].iloc[0]
    assert s2.kappa == 1.0 and s2.pct_agreement == 100.0
    pooled = out[out["source"] == POOLED].iloc[0]
    assert (pooled.both, pooled.neither, pooled.only_a, pooled.only_b) == (12, 14, 2, 2)
    assert pooled.kappa == pytest.approx(328 / 448)
    assert pooled.pct_agreement == pytest.approx(100 * 26 / 30)


def test_code_neither_coder_used_in_a_source_is_complete_agreement():
    rows = [
        ("c1", "s1", "A", 0, 4),
        ("c1", "s1", "B", 0, 4),
        ("c2", "s2", "A", 1, 3),
        ("c2", "s2", "B", 1, 2),
    ]
    out = character_agreement(_codings(rows), {"s1": 8, "s2": 8}).set_index(["unit", "source"])
    assert out.loc[("c2", "s1"), "kappa"] == 1.0
    assert out.loc[("c2", "s1"), "neither"] == 8
    # s2, c2: both 1, A only 1, neither 6: p_o = 7/8, p_e = 2/8*1/8 + 6/8*7/8 = 44/64
    assert out.loc[("c2", "s2"), "kappa"] == pytest.approx((56 - 44) / (64 - 44))


def test_source_coded_by_one_coder_is_left_out():
    rows = [("c1", "s1", "A", 0, 4), ("c1", "s1", "B", 2, 6), ("c1", "s3", "A", 0, 5)]
    out = character_agreement(_codings(rows), {"s1": 10, "s3": 10})
    assert "s3" not in set(out["source"])
    assert out[out["source"] == POOLED].iloc[0].n_chars == 10


def test_overlapping_spans_of_one_coder_count_each_character_once():
    rows = [("c1", "s1", "A", 0, 4), ("c1", "s1", "A", 2, 5), ("c1", "s1", "B", 0, 5)]
    row = character_agreement(_codings(rows), {"s1": 10}).iloc[0]
    assert (row.both, row.only_a, row.only_b) == (5, 0, 0)


def test_presence_alpha_by_hand():
    presence = pd.DataFrame(
        [("1", p, "t", v) for p, v in zip(["p1", "p2", "p3", "p4"], [1, 1, 0, 0], strict=True)]
        + [("2", p, "t", v) for p, v in zip(["p1", "p2", "p3", "p4"], [1, 0, 0, 0], strict=True)],
        columns=["coder", "participant_id", "subtheme_id", "present"],
    )
    assert presence_alpha(presence) == pytest.approx(8 / 15)


def test_presence_alpha_without_variation_is_undefined():
    presence = pd.DataFrame(
        [("1", "p1", "t", 1), ("2", "p1", "t", 1)],
        columns=["coder", "participant_id", "subtheme_id", "present"],
    )
    assert math.isnan(presence_alpha(presence))
