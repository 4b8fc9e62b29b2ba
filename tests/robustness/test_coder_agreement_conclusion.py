"""The coder-agreement conclusions and their specifications on a hand-made agreement
table, against verdicts worked out by hand below.

Threshold 0.6. Subtheme s (codes c1, c2): pooled kappa 0.7 (meets), source A 0.8,
source B 0.5, c1 0.9, c2 0.55. Subtheme u (code c3): pooled 0.4 (fails), source A
coded by neither coder (kappa 1 by convention, no evidence: left out), source B 0.4,
c3 0.4.

    s:   holds; pooled 0.7 yes, A 0.8 yes, B 0.5 no, c1 yes, c2 no      -> 3 of 5
    u:   fails; pooled 0.4 (below, as stated) yes, B yes, c3 yes      -> 3 of 3
    all: fails (u); lowest pooled 0.4 yes; A: only s coded there, 0.8 reaches,
         which contradicts "fails" -> no; B: lowest 0.4 yes; lowest code 0.4 yes -> 3 of 4
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from downstream_safety.interviews.coder_agreement import POOLED
from downstream_safety.robustness import conclusions as concl
from downstream_safety.robustness import multiverse as mv
from downstream_safety.robustness import schemas

THRESHOLD = 0.6


def _r(level, unit, source, kappa, both=0, only_a=0, only_b=0, neither=10):
    pooled = source == POOLED
    return {
        "level": level, "unit": unit, "source": source, "coder_a": "ana", "coder_b": "ben",
        "n_chars": both + only_a + only_b + neither, "both": both, "neither": neither,
        "only_a": only_a, "only_b": only_b, "pct_agreement": 90.0, "kappa": kappa,
        "alpha": np.nan, "kappa_threshold": THRESHOLD if pooled else np.nan,
        "meets_threshold": (kappa >= THRESHOLD) if pooled else pd.NA,
    }  # fmt: skip


def _table() -> pd.DataFrame:
    rows = [
        _r("code", "c1", POOLED, 0.9, both=5),
        _r("code", "c2", POOLED, 0.55, both=5, only_b=2),
        _r("code", "c3", POOLED, 0.4, both=3, only_a=3),
        _r("subtheme", "s", "A", 0.8, both=10, only_a=2),
        _r("subtheme", "s", "B", 0.5, both=5, only_b=4),
        _r("subtheme", "s", POOLED, 0.7, both=15, only_a=2, only_b=4),
        _r("subtheme", "u", "A", 1.0, neither=50),
        _r("subtheme", "u", "B", 0.4, both=3, only_a=3),
        _r("subtheme", "u", POOLED, 0.4, both=3, only_a=3, neither=60),
    ]
    presence = {
        "level": "presence", "unit": "(participant x subtheme)", "source": "(all participants)",
        "coder_a": "(all coders)", "coder_b": "(all coders)", "alpha": 0.5,
    }  # fmt: skip
    return pd.DataFrame([*rows, presence])


def test_conclusions_per_subtheme_and_over_all():
    rows = concl.coder_agreement(_table())
    got = {r["conclusion_id"]: r["expected"] for r in rows}
    assert got == {"coder_agreement__s": "holds", "coder_agreement__u": "fails",
                   "coder_agreement": "fails"}  # fmt: skip
    assert all(r["family"] == "coder_agreement" for r in rows)
    assert rows[0]["conclusion"] == (
        "coder agreement on s reaches the kappa threshold 0.6 (pooled kappa 0.70)"
    )
    schemas.CONCLUSIONS.validate(pd.DataFrame(rows, columns=concl.COLUMNS))


def test_a_table_without_kappa_draws_nothing():
    presence_only = _table().query("level == 'presence'")
    assert concl.coder_agreement(presence_only) == []


def test_two_thresholds_on_the_table_are_a_bug():
    t = _table()
    t.loc[t["unit"] == "s", "kappa_threshold"] = 0.7
    with pytest.raises(ValueError, match="bug in the package"):
        concl.coder_agreement(t)


def _specs(table: pd.DataFrame) -> pd.DataFrame:
    conclusions = pd.DataFrame(concl.coder_agreement(table), columns=concl.COLUMNS)
    choices = {"agreement": [{"id": "kappa", "paper": True}]}
    on = {"survey": False, "interviews": False, "incidents": False, "coder_agreement": True}
    assert mv.units(choices, on) == [("coder_agreement",)]
    inp = mv.Inputs(
        conclusions=conclusions,
        seed=0,
        coder_agreement=table,
        code_subthemes={"c1": "s", "c2": "s", "c3": "u"},
    )
    specs = mv.evaluate(range(1), choices, inp, on)
    schemas.SPECIFICATIONS.validate(specs)
    return specs


def test_specifications_by_hand():
    specs = _specs(_table())
    holds = {(c, s): h for c, s, h in specs[["conclusion_id", "specification", "holds"]].values}
    assert holds == {
        ("coder_agreement__s", "kappa_pooled"): True,
        ("coder_agreement__s", "kappa_source:A"): True,
        ("coder_agreement__s", "kappa_source:B"): False,
        ("coder_agreement__s", "kappa_code:c1"): True,
        ("coder_agreement__s", "kappa_code:c2"): False,
        ("coder_agreement__u", "kappa_pooled"): True,
        ("coder_agreement__u", "kappa_source:B"): True,
        ("coder_agreement__u", "kappa_code:c3"): True,
        ("coder_agreement", "kappa_pooled"): True,
        ("coder_agreement", "kappa_source:A"): False,
        ("coder_agreement", "kappa_source:B"): True,
        ("coder_agreement", "kappa_code"): True,
    }
    paper = specs[specs["paper_specification"]]
    assert set(paper["specification"]) == {"kappa_pooled"} and len(paper) == 3
    conclusions = pd.DataFrame(concl.coder_agreement(_table()), columns=concl.COLUMNS)
    summary = mv.summary(specs, conclusions).set_index("claim_id")
    assert summary["verdict"].to_dict() == {
        "coder_agreement__s": "fragile",
        "coder_agreement__u": "robust",
        "coder_agreement": "fragile",
    }
    assert summary.loc["coder_agreement", "n_hold"] == 3


def test_several_pairs_take_the_lowest_kappa():
    """A second pair (ana, cy) agrees less on s in source B (0.3) and pooled (0.65):
    s's pooled value becomes 0.65 (still reaches) and its source B value 0.3."""
    t = _table()
    extra = [
        {**_r("subtheme", "s", "B", 0.3, both=2, only_a=5), "coder_b": "cy"},
        {**_r("subtheme", "s", POOLED, 0.65, both=2, only_a=5), "coder_b": "cy"},
    ]
    t = pd.concat([t, pd.DataFrame(extra)], ignore_index=True)
    values = dict(
        mv.coder_agreement_values(t, {"c1": "s", "c2": "s", "c3": "u"})["coder_agreement__s"]
    )
    assert values["kappa_pooled"] == 0.65 and values["kappa_source:B"] == 0.3
    assert values["kappa_source:A"] == 0.8
