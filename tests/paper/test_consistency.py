"""GRIM, GRIMMER and p-from-z against hand-computed cases."""

from __future__ import annotations

import pytest

from downstream_safety.paper.consistency import (
    decision_error,
    grim,
    grim_informative,
    grim_percent,
    grim_sums,
    grimmer,
    p_from_z,
    p_matches,
)


def test_grim_documentation_c2_impossible_at_86_possible_at_85():
    # 261/86 = 3.0349 and 262/86 = 3.0465: neither prints as 3.04.
    assert not grim("3.04", 86)
    # 258/85 = 3.0353 prints as 3.04.
    assert grim("3.04", 85)
    assert grim_sums("3.04", 85) == [258]


def test_grim_published_concern_mean():
    # 389/86 = 4.5233 -> 4.52 (the sum in the published-numbers table).
    assert grim_sums("4.52", 86) == [389]
    # Section 5.4: 4.52 is impossible at n = 68, 70, 72.
    assert not grim("4.52", 68)
    assert not grim("4.52", 70)


def test_grim_trailing_zero_matters():
    # "3.00" at n = 86 needs S in [257.57, 258.43] -> 258; "3.0" has a wider interval.
    assert grim_sums("3.00", 86) == [258]
    assert len(grim_sums("3.0", 86)) > 1


def test_grim_multi_item_mean_is_uninformative_at_258():
    # 3.25 is impossible for one item at n = 86 (279/86 = 3.244, 280/86 = 3.256) ...
    assert not grim("3.25", 86)
    # ... but over 3 items per respondent the denominator is 258: 838.5 -> 839/258 = 3.2519.
    assert grim("3.25", 86, items=3)
    assert not grim_informative("3.25", 86, items=3)
    assert grim_informative("3.25", 86)


def test_grim_percent_96_at_86():
    # 82/86 = 95.35%, 83/86 = 96.51%: no count gives 96%; 82/85 = 96.47% does.
    assert not grim_percent("96", 86)
    assert grim_percent("96", 85)
    assert grim_percent("12.8", 86)  # 11/86 = 12.79%
    assert grim_percent("2.55", 667)  # 17/667 = 2.549%
    assert not grim_percent("2.56", 667)  # 17/667 = 2.549, 18/667 = 2.699


def test_grim_rejects_bad_n():
    with pytest.raises(ValueError):
        grim("3.04", 0)


def test_grimmer_hand_cases():
    # Data 1..5: mean 3, SD sqrt(2.5) = 1.5811.
    assert grimmer("3.00", "1.58", 5)
    # SD 1.60 needs Q in [55.18, 55.30] (Q = 4 * sd^2 + 45): no integer.
    assert not grimmer("3.00", "1.60", 5)
    # Data (1, 2): mean 1.5, SD 0.7071; Q = 5 has the parity of S = 3.
    assert grimmer("1.50", "0.71", 2)
    # SD 1.41 needs Q = sd^2 + 4.5 in [6.474, 6.502]: no integer.
    assert not grimmer("1.50", "1.41", 2)
    # SD 1.22 needs Q in [5.976, 6.001], i.e. Q = 6, which is even while S = 3 is odd:
    # only the parity rule rejects it (pairs summing to 3 have SD 0.71 or 2.12).
    assert not grimmer("1.50", "1.22", 2)


def test_p_from_z_hand_values():
    assert p_from_z(1.959964) == pytest.approx(0.05, abs=1e-6)
    assert p_from_z(-1.959964) == pytest.approx(0.05, abs=1e-6)
    assert p_from_z(1.644854, "greater") == pytest.approx(0.05, abs=1e-6)
    assert p_from_z(-1.644854, "less") == pytest.approx(0.05, abs=1e-6)
    with pytest.raises(ValueError):
        p_from_z(1.0, "sideways")


def test_p_matches_and_decision_errors():
    assert p_matches("0.017", 0.01708)
    assert not p_matches("0.017", 0.0186)
    assert p_matches("<0.001", 0.0004)
    assert not p_matches("<0.001", 0.002)
    assert decision_error("0.04", 0.06, 0.05)
    assert not decision_error("0.04", 0.045, 0.05)
