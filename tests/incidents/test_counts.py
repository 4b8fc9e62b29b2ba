"""Counts and co-occurrences on hand-made label sets."""

from __future__ import annotations

import pandas as pd
import pytest

from downstream_safety.incidents.counts import cooccurrence, subtheme_counts
from downstream_safety.incidents.numbers import incident_numbers

LAB = ["p", "q", "r"]
ADJ = pd.DataFrame({"incident_id": [1, 2, 3, 4], "labels": ["p;q", "q", "p;q;r", ""]})


def test_counts_and_percentages():
    c = subtheme_counts(ADJ, LAB).set_index("subtheme_id")
    assert c["n_incidents"].to_dict() == {"p": 2, "q": 3, "r": 1}
    # the unlabelled incident still counts in the denominator
    assert c.loc["q", "pct"] == pytest.approx(75.0)


def test_cooccurrence_every_pair_once():
    co = cooccurrence(ADJ, LAB)
    assert list(zip(co["subtheme_a"], co["subtheme_b"], co["n_incidents"], strict=True)) == [
        ("p", "q", 2),
        ("p", "r", 1),
        ("q", "r", 1),
    ]


def test_numbers_keys_and_values():
    ann = pd.DataFrame(
        {
            "incident_id": [1, 1, 2, 2],
            "annotator": ["A", "B", "A", "B"],
            "round": ["calibration_1"] * 2 + ["round_1"] * 2,
            "labels": ["p", "p", "q", "q"],
        }
    )
    agreement = pd.DataFrame(
        {
            "round": ["calibration_1", "calibration", "round_1"],
            "n_incidents": [1, 1, 1],
            "kappa": [0.5, 0.5, float("nan")],
            "kappa_label_mean": [0.4, 0.4, float("nan")],
            "agreement_decisions": [0.9, 0.9, 1.0],
            "agreement_exact": [1.0, 1.0, 1.0],
            "alpha_masi": [0.3, 0.3, float("nan")],
        }
    )
    nums = incident_numbers(ann, ADJ, subtheme_counts(ADJ, LAB), cooccurrence(ADJ, LAB), agreement)
    v = dict(zip(nums["key"], nums["value"], strict=True))
    assert v["incidents__n"] == 4
    assert v["incidents__q"] == 3 and v["incidents_pct__q"] == pytest.approx(75.0)
    assert v["cooccur__p__q"] == 2 and v["cooccur_pct__p__q"] == pytest.approx(50.0)
    assert v["kappa__calibration"] == 0.5 and "kappa__round_1" not in v
    assert v["incidents__unlabelled"] == 1 and v["incidents__labels_total"] == 6
    assert nums["key"].tolist() == sorted(nums["key"])
