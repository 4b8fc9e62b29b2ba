"""Macro names, precision and the numbers files."""

from __future__ import annotations

import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.paper.macros import (
    decimals_for,
    load_numbers,
    macro_name,
    render_value,
    to_json,
    to_tex,
)


def test_macro_names_are_letters_only():
    assert macro_name("funnel__contacted") == "NumFunnelContacted"
    assert macro_name("saturation_guest2006__rq1") == "NumSaturationGuestTwoZeroZeroSixRqOne"
    assert macro_name("demo_pct__ai_projects__1_5") == "NumDemoPctAiProjectsOneFive"
    assert macro_name("pct_top2__imp_x").isalpha()


def test_precision_follows_the_paper():
    assert decimals_for("p__documentation__behaviour__data", 0.0171) == 3
    assert render_value("p__x__a__b", 0.0004) == "<0.001"
    assert render_value("mean__imp_x", 389 / 86) == "4.52"
    assert render_value("pct_top2__imp_x", 100 * 83 / 86) == "97"
    assert render_value("incidents_pct__reliability", 100 * 440 / 874) == "50.3"
    assert render_value("response_rate_pct", 100 * 17 / 667) == "2.55"
    assert render_value("r__x__a__b", 0.3) == "0.30"
    assert render_value("funnel__contacted", 667.0) == "667"
    assert render_value("other", 1.23456) == "1.23"


def _write(path, rows):
    pd.DataFrame(rows, columns=["key", "value", "description"]).to_csv(path, index=False)


def test_load_numbers_and_render(tmp_path):
    _write(tmp_path / "a.csv", [("funnel__contacted", 667, "contacted"), ("r__x", -0.3, "r")])
    _write(tmp_path / "b.csv", [("p__x", 0.0004, "p")])
    numbers = load_numbers({"a": tmp_path / "a.csv", "b": tmp_path / "b.csv"})
    tex = to_tex(numbers)
    assert r"\newcommand{\NumFunnelContacted}{667}" in tex
    assert r"\newcommand{\NumRX}{\ensuremath{-}0.30}" in tex
    assert r"\newcommand{\NumPX}{\ensuremath{<}0.001}" in tex
    js = to_json(numbers)
    assert '"macro": "\\\\NumFunnelContacted"' in js and '"stage": "b"' in js


def test_duplicate_keys_across_stages_are_an_input_error(tmp_path):
    _write(tmp_path / "a.csv", [("n_participants", 18, "x")])
    _write(tmp_path / "b.csv", [("n_participants", 17, "y")])
    with pytest.raises(InputError, match="more than one numbers file"):
        load_numbers({"a": tmp_path / "a.csv", "b": tmp_path / "b.csv"})


def test_macro_name_clash_is_an_input_error(tmp_path):
    _write(tmp_path / "a.csv", [("a_b__c", 1, "x"), ("a__b_c", 2, "y")])
    with pytest.raises(InputError, match="same LaTeX macro"):
        load_numbers({"a": tmp_path / "a.csv"})
