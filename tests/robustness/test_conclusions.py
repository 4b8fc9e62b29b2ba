"""Conclusions generated from the design and results alone, claim ids as labels,
and the strands a run has: against hand-written expectations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.robustness import conclusions as concl
from downstream_safety.robustness import multiverse as mv
from downstream_safety.robustness import settings

LEVELS = [
    {"label": "poor", "from": -1},
    {"label": "slight", "from": 0},
    {"label": "fair", "from": 0.21},
    {"label": "moderate", "from": 0.41},
    {"label": "substantial", "from": 0.61},
    {"label": "almost perfect", "from": 0.81},
]


def test_every_block_is_ranked_and_practice_blocks_rank_scores():
    blocks = {"a": ["a1", "a2"], "p": ["p_x", "p_y"], "empty": []}
    got = concl.ranking_entries(blocks, {"a": [], "p": ["p"], "empty": []}, ["mean", "pct_top2"])
    ids = [concl.ranking_id(e) for e in got]
    assert ids == [
        "highest__mean__a", "lowest__mean__a", "highest__pct_top2__a", "lowest__pct_top2__a",
        "highest__mean__p", "lowest__mean__p", "highest__pct_top2__p", "lowest__pct_top2__p",
        "highest__practice_score__p", "lowest__practice_score__p",
    ]  # fmt: skip


def test_ranking_reads_the_item_summary_and_keeps_ties():
    summary = pd.DataFrame({"item_id": ["i1", "i2", "i3"], "mean": [3.5, 2.0, 3.5]})
    entry = {"block": "b", "statistic": "mean", "extreme": "highest"}
    row = concl.ranking(summary, entry, {i: [i] for i in ["i1", "i2", "i3"]})
    assert row["expected"] == "i1;i3" and row["conclusion_id"] == "highest__mean__b"
    low = concl.ranking(summary, {**entry, "extreme": "lowest"}, {i: [i] for i in ["i1", "i2"]})
    assert low["expected"] == "i2"
    # Practice scores: mean of the context means; (3.5 + 2.0) / 2 = 2.75 < 3.5.
    scored = {"p": ["i1", "i2"], "q": ["i3"]}
    ps = concl.ranking(summary, {**entry, "statistic": "practice_score"}, scored)
    assert ps["expected"] == "q"
    nothing = pd.DataFrame({"item_id": ["i1"], "mean": [np.nan]})
    assert concl.ranking(nothing, entry, {"i1": ["i1"]}) is None


def test_agreement_levels_by_hand():
    table = pd.DataFrame(
        {"round": ["calibration", "round_1", "round_2", "round_3"],
         "kappa": [0.61, 0.6099, -0.2, np.nan]}
    )  # fmt: skip
    rows = concl.agreement(table, "kappa", LEVELS)
    assert [r["conclusion_id"] for r in rows] == [
        "agreement__calibration", "agreement__round_1", "agreement__round_2",
    ]  # fmt: skip
    assert rows[0]["conclusion"].startswith("substantial agreement in the calibration rounds")
    assert rows[1]["conclusion"].startswith("moderate agreement in round round_1")
    assert rows[2]["conclusion"].startswith("poor agreement")
    assert concl.agreement_thresholds(table, "kappa", LEVELS)["agreement__round_1"] == (
        "round_1",
        0.41,
    )


def _rows():
    return [
        concl._row("p__a__x__y", "paired_test", "t", "no_difference"),
        concl._row("highest__mean__b", "ranking", "t", "i1"),
        concl._row("saturation__guest2006__all", "saturation", "t", "5"),
    ]


def test_claim_ids_are_attached_labels_only():
    out = concl.link(
        _rows(),
        {"p__a__x__y": ["C1"], "highest__mean__b": ["C9"]},  # registry: paired tests only
        [{"conclusion_id": "highest__mean__b", "claim_ids": ["C2", "C3"]},
         {"conclusion_id": "p__a__x__y", "claim_ids": ["C1", "C4"]}],
    )  # fmt: skip
    assert [r["claim_id"] for r in out] == ["C1;C4", "C2;C3", "saturation__guest2006__all"]
    # Nothing but the claim id changes.
    for before, after in zip(_rows(), out, strict=True):
        assert {k: v for k, v in before.items() if k != "claim_id"} == {
            k: v for k, v in after.items() if k != "claim_id"
        }


def test_links_to_conclusions_not_drawn_or_shared_are_refused():
    with pytest.raises(InputError, match="saturation__guest2006__rq9"):
        concl.link(_rows(), {}, [{"conclusion_id": "saturation__guest2006__rq9",
                                  "claim_ids": ["C1"]}])  # fmt: skip
    with pytest.raises(InputError, match="both carry"):
        concl.link(
            _rows(),
            {},
            [{"conclusion_id": "highest__mean__b", "claim_ids": ["C1"]},
             {"conclusion_id": "saturation__guest2006__all", "claim_ids": ["C1"]}],
        )  # fmt: skip


def _choices():
    one = [{"id": "x", "paper": True}]
    return {
        "test": [{"id": "w", "test": "wilcoxon", "zero_method": "wilcox", "method": "approx",
                  "paper": True}, {"id": "t", "test": "ttest"}],
        "missing": [{"id": "pairwise", "paper": True}],
        "screening": [{"id": "all", "skip": [], "paper": True}],
        "correction": one,
        "saturation": [{"id": "guest2006", "paper": True}, {"id": "guest2020"}],
        "agreement": [{"id": "kappa", "paper": True}],
    }  # fmt: skip


def test_units_follow_the_strands():
    choices = _choices()
    every = mv.units(choices)
    assert [u[0] for u in every] == ["paired_test", "paired_test", "ranking", "saturation",
                                     "saturation", "agreement"]  # fmt: skip
    survey_only = mv.units(choices, {"survey": True, "interviews": False, "incidents": False})
    assert {u[0] for u in survey_only} == {"paired_test", "ranking"}
    no_survey = mv.units(choices, {"survey": False, "interviews": True, "incidents": True})
    assert [u[0] for u in no_survey] == ["saturation", "saturation", "agreement"]


def _cfg(**edits):
    cfg = {"choices": _choices(), "agreement_levels": LEVELS, "claims": []}
    cfg.update(edits)
    return cfg


def test_settings_check_refuses_what_the_schema_cannot():
    tests = {"zero_method": "wilcox", "method": "approx"}
    settings.check(_cfg(), (), tests)
    with pytest.raises(InputError, match="not the survey's own test"):
        settings.check(_cfg(), (), {"zero_method": "pratt", "method": "approx"})
    per_label = _cfg()
    per_label["choices"]["agreement"] = [{"id": "kappa_per_label", "paper": True}]
    with pytest.raises(InputError, match="one value per label"):
        settings.check(per_label, (), tests)
    with pytest.raises(InputError, match="own label and lower bound"):
        settings.check(_cfg(agreement_levels=[*LEVELS, {"label": "x", "from": 0}]), (), tests)
    twice = [{"conclusion_id": "a", "claim_ids": ["C1"]}] * 2
    with pytest.raises(InputError, match="more than once"):
        settings.check(_cfg(claims=twice), (), tests)
    # Without the survey its screening variants are not checked.
    skip = _cfg()
    skip["choices"]["screening"] = [{"id": "s", "skip": ["gone"], "paper": True}]
    settings.check(skip, (), None)
    with pytest.raises(InputError, match="unknown screening rule"):
        settings.check(skip, (), tests)


def test_an_empty_block_takes_working_defaults():
    """`robustness: {}` in the example follow-up: the schema fills every key, and
    the defaults pass the checks against the follow-up's own survey settings."""
    import yaml
    from snakemake.utils import validate

    from downstream_safety.common.config_check import validate_config
    from downstream_safety.paths import ROOT

    cfg = yaml.safe_load((ROOT / "examples/followup/config.yaml").read_text())
    cfg["robustness"] = {}
    schema = ROOT / "workflow/schemas/config.schema.yaml"
    validate_config(cfg, schema, validate, "examples/followup/config.yaml")
    rb = cfg["robustness"]
    assert rb["n_resamples"] == 1000 and rb["claims"] == [] and rb["ranking_statistics"] == ["mean"]
    assert [o["id"] for o in rb["choices"]["screening"]] == ["as_published"]
    assert len(rb["choices"]["test"]) == 7
    settings.check(rb, (), cfg["survey"]["tests"])
    on = settings.stage_settings(cfg)["strands"]
    assert on == {"survey": True, "interviews": True, "incidents": True}
