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


# --- peer reference cases ---------------------------------------------------------
# Expected verdicts come from the peer implementations' own test suites, not from
# this package.

# scrutiny (R, lhdjung/scrutiny): the pigs1 and pigs2 datasets (data-raw/pigs.R).
# tests/testthat/test-method-grim-map.R: grim_map(pigs1) has 8 inconsistent cases of
# 12, grim_map(pigs2, percent = TRUE) 5 of 6. The per-row verdicts of pigs1 are those
# of the Python port scrutipy (nrposner/scrutipy, tests/test_functions.py::test_grim_map_1).
PIGS1 = [
    ("7.22", 32, True),
    ("4.74", 25, False),
    ("5.23", 29, False),
    ("2.57", 24, False),
    ("6.77", 27, False),
    ("2.68", 28, True),
    ("7.01", 29, False),
    ("7.38", 26, True),
    ("3.14", 27, False),
    ("6.89", 31, False),
    ("5.00", 25, True),
    ("0.24", 28, False),
]
PIGS2 = [("67.4", 150), ("54.2", 150), ("54.0", 150), ("69.8", 150), ("68.1", 150), ("55.4", 150)]


@pytest.mark.parametrize(("mean", "n", "expected"), PIGS1)
def test_grim_scrutiny_pigs1(mean, n, expected):
    assert grim(mean, n) is expected


def test_grim_scrutiny_pigs_inconsistency_counts():
    assert sum(not grim(x, n) for x, n, _ in PIGS1) == 8
    assert sum(not grim_percent(x, n) for x, n in PIGS2) == 5


def test_grim_and_grimmer_rsprite2_cases():
    """rsprite2 (LukasWallrich/rsprite2, tests/testthat/test-core-and-plot-functions.R):
    GRIM_test(5.19, 28) is FALSE (Brown & Heathers' kind of impossible mean: 145/28 =
    5.179, 146/28 = 5.214), GRIM_test(5.18, 14, n_items = 2) TRUE,
    GRIMMER_test(5.21, 1.6, 28) TRUE and GRIMMER_test(3.44, 2.47, 18) FALSE (GRIM
    passes, the SD does not; scrutiny's test-grimmer.R repeats both)."""
    assert grim("5.19", 28) is False
    assert grim("5.18", 14, items=2) is True
    assert grimmer("5.21", "1.6", 28) is True
    assert grim("3.44", 18) is True
    assert grimmer("3.44", "2.47", 18) is False
    # GRIMMER fails whenever GRIM fails (rsprite2: GRIMMER_test(5.19, 1.5, 28) is FALSE).
    assert grimmer("5.19", "1.5", 28) is False
