"""Published strings keep their precision; computed values round half-up."""

from __future__ import annotations

from decimal import Decimal

from downstream_safety.paper.precision import parse_published, render, render_p


def test_parse_keeps_trailing_zeros():
    p = parse_published("3.00")
    assert p.value == Decimal("3.00") and p.decimals == 2 and p.comparator == ""
    assert parse_published("0.30").decimals == 2
    assert parse_published("12").decimals == 0


def test_parse_grouping_and_comparators():
    assert parse_published(">1,000,000").value == Decimal(1000000)
    assert parse_published(">1,000,000").comparator == ">"
    half = parse_published("> half")
    assert half.value == Decimal("0.5") and half.comparator == ">"
    assert parse_published("≈1").comparator == "≈"


def test_parse_rejects_non_numbers():
    for text in ["second and first", "18 / 86", "2 × 50", "—", "01-02-2025", "1–4"]:
        assert parse_published(text) is None, text


def test_render_half_up_on_decimal_repr():
    assert render(2.545, 2) == "2.55"  # binary 2.5449999... would round down
    assert render(100 * 17 / 667, 2) == "2.55"
    assert render(4.5, 0) == "5"
    assert render(-0.001, 2) == "0.00"
    assert render(3.0, 2) == "3.00"


def test_render_p_floor():
    assert render_p(0.0004) == "<0.001"
    assert render_p(0.0167) == "0.017"
    assert render_p(0.0005) == "0.001"
