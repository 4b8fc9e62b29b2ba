"""Agreement statistics against hand-computed answers and independent implementations."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.inter_rater import cohens_kappa as sm_cohens_kappa

from downstream_safety.incidents.agreement import (
    agreement_tables,
    alpha_masi,
    alpha_nominal,
    cohen_kappa,
    raw_agreement,
    round_order,
)
from downstream_safety.incidents.labels import indicator, parse
from downstream_safety.incidents.load import load_annotations
from downstream_safety.paths import DEFAULT_AIID_SNAPSHOT
from reconstruction import incidents as generate
from tests.incidents.helpers import INCIDENTS, LABELS, TAXONOMY, needs_snapshot


def test_kappa_and_raw_agreement_hand_case():
    # po = 3/4; p(1) = 1/2 and 1/4, pe = 1/2*1/4 + 1/2*3/4 = 1/2 -> kappa = (3/4-1/2)/(1/2)
    a, b = [1, 1, 0, 0], [1, 0, 0, 0]
    assert cohen_kappa(a, b) == pytest.approx(0.5)
    assert raw_agreement(a, b) == pytest.approx(0.75)


def test_kappa_undefined_when_both_constant():
    assert math.isnan(cohen_kappa([0, 0, 0], [0, 0, 0]))


def test_alpha_nominal_hand_case():
    # Coincidences: o11 = 2, o10 = o01 = 1, o00 = 4; n0 = 5, n1 = 3, n = 8.
    # alpha = 1 - (n - 1) * (o01 + o10) / (2 * n0 * n1) = 1 - 7 * 2 / 30
    assert alpha_nominal([[1, 1, 0, 0], [1, 0, 0, 0]]) == pytest.approx(1 - 14 / 30)


def test_alpha_masi_hand_case():
    # Items: {a}|{a} d=0; {a,b}|{a} d=1-(1/2)(2/3)=2/3; {b}|{c} d=1 -> Do = 5/9.
    # Pool {a}x3,{a,b},{b},{c}: unordered distance sum 32/3, De = (64/3)/(6*5) = 32/45.
    long = pd.DataFrame(
        {
            "coder": ["x", "y"] * 3,
            "item": [1, 1, 2, 2, 3, 3],
            "labels": [
                frozenset("a"),
                frozenset("a"),
                frozenset("ab"),
                frozenset("a"),
                frozenset("b"),
                frozenset("c"),
            ],
        }
    )
    assert alpha_masi(long) == pytest.approx(1 - (5 / 9) / (32 / 45))


def test_alpha_masi_two_empty_sets_agree():
    # Both coders say "no subtheme" on item 1: distance 0, so the result equals
    # the hand value for identical sets everywhere else plus one agreeing item.
    long = pd.DataFrame(
        {
            "coder": ["x", "y"] * 3,
            "item": [1, 1, 2, 2, 3, 3],
            "labels": [
                frozenset(),
                frozenset(),
                frozenset("a"),
                frozenset("a"),
                frozenset("b"),
                frozenset("b"),
            ],
        }
    )
    assert alpha_masi(long) == pytest.approx(1.0)


def test_round_tables_hand_case():
    labels = ["p", "q"]
    ann = pd.DataFrame(
        {
            "incident_id": [1, 1, 2, 2, 3, 3, 4, 4],
            "annotator": ["A", "B"] * 4,
            "round": ["calibration_1"] * 4 + ["round_1"] * 4,
            "labels": ["p", "p", "p;q", "p", "q", "", "", ""],
        }
    )
    rounds, per_label = agreement_tables(ann, labels)
    assert rounds["round"].tolist() == ["calibration_1", "calibration", "round_1"]
    cal = rounds.set_index("round").loc["calibration_1"]
    # decisions A: (1,0),(1,1); B: (1,0),(1,0): po = 3/4; p(A=1) = 3/4, p(B=1) = 1/2
    # pe = 3/4*1/2 + 1/4*1/2 = 1/2 -> kappa 0.5
    assert cal["kappa"] == pytest.approx(0.5)
    assert cal["agreement_decisions"] == pytest.approx(0.75)
    assert cal["agreement_exact"] == pytest.approx(0.5)
    assert cal["n_incidents"] == 2
    # round_1: A {q},{} vs B {},{} -> decisions A (0,1),(0,0), B all 0: po = 3/4, pe = 3/4 -> 0
    assert rounds.set_index("round").loc["round_1", "kappa"] == pytest.approx(0.0)
    p = per_label.set_index(["round", "subtheme_id"])
    assert math.isnan(p.loc[("calibration_1", "p"), "kappa"])  # both annotators always said p
    assert p.loc[("calibration_1", "q"), "agreement"] == pytest.approx(0.5)


def test_round_order_is_natural():
    assert round_order(["round_10", "round_2", "calibration_2", "calibration_1"]) == [
        "calibration_1",
        "calibration_2",
        "round_2",
        "round_10",
    ]


# --- the snapshot's per-annotator CSET files: real multi-annotator data ---------


def _cset(i: int) -> pd.DataFrame:
    df = pd.read_csv(
        DEFAULT_AIID_SNAPSHOT / f"classifications_CSETv1_Annotator-{i}.csv",
        dtype=str,
        keep_default_na=False,
    )
    return df.set_index("Incident ID")


def _sets(cell: str) -> frozenset:
    return frozenset(p.strip().lower() for p in cell.split(",") if p.strip())


def _masi_reference(a: frozenset, b: frozenset) -> float:
    """Passonneau (2006) written out independently of nltk."""
    if not a and not b:
        return 0.0
    inter, union = len(a & b), len(a | b)
    if a == b:
        m = 1.0
    elif a <= b or b <= a:
        m = 2 / 3
    elif inter:
        m = 1 / 3
    else:
        m = 0.0
    return 1 - inter / union * m


def _alpha_reference(units: list[list[frozenset]]) -> float:
    """Krippendorff's alpha from its definition (pairable values only)."""
    units = [u for u in units if len(u) >= 2]
    n = sum(len(u) for u in units)
    do = (
        sum(
            sum(_masi_reference(x, y) for x, y in itertools.permutations(u, 2)) / (len(u) - 1)
            for u in units
        )
        / n
    )
    pool = [v for u in units for v in u]
    de = sum(_masi_reference(x, y) for x, y in itertools.permutations(pool, 2)) / (n * (n - 1))
    return 1 - do / de


@needs_snapshot
@pytest.mark.snapshot
def test_cset_alpha_masi_matches_definition():
    a1, a2 = _cset(1), _cset(2)
    common = sorted(set(a1.index) & set(a2.index), key=int)
    assert len(common) > 50
    col = "Infrastructure Sectors"
    units = [[_sets(a1.at[i, col]), _sets(a2.at[i, col])] for i in common]
    long = pd.DataFrame(
        {
            "coder": ["1", "2"] * len(common),
            "item": [i for i in common for _ in range(2)],
            "labels": [s for u in units for s in u],
        }
    )
    assert alpha_masi(long) == pytest.approx(_alpha_reference(units), abs=1e-9)


@needs_snapshot
@pytest.mark.snapshot
def test_cset_kappa_matches_statsmodels():
    a1, a2 = _cset(1), _cset(2)
    common = sorted(set(a1.index) & set(a2.index), key=int)
    col = "Harm Domain"
    x = [a1.at[i, col] or "blank" for i in common]
    y = [a2.at[i, col] or "blank" for i in common]
    cats = sorted(set(x) | set(y))
    table = np.zeros((len(cats), len(cats)))
    for u, v in zip(x, y, strict=True):
        table[cats.index(u), cats.index(v)] += 1
    assert cohen_kappa(x, y) == pytest.approx(sm_cohens_kappa(table).kappa, abs=1e-12)


@needs_snapshot
@pytest.mark.snapshot
def test_cset_three_annotators_alpha_matches_nltk():
    from nltk.metrics.agreement import AnnotationTask
    from nltk.metrics.distance import binary_distance

    frames = [_cset(i) for i in (1, 2, 3)]
    col = "Harm Domain"
    codes = {"no": 0, "yes": 1, "maybe": 2}
    items = sorted(set().union(*(f.index for f in frames)), key=int)
    matrix = np.full((3, len(items)), np.nan)
    triples = []
    for c, f in enumerate(frames):
        for j, i in enumerate(items):
            if i in f.index and f.at[i, col] in codes:
                matrix[c, j] = codes[f.at[i, col]]
                triples.append((str(c), i, f.at[i, col]))
    # nltk skips items with a single rating as Krippendorff prescribes
    expected = AnnotationTask(data=triples, distance=binary_distance).alpha()
    assert alpha_nominal(matrix) == pytest.approx(expected, abs=1e-9)


# --- reference examples and the generator's independent kappa -------------------


def _expand(table):
    """Rater pairs from a contingency table (rows: rater 1, columns: rater 2)."""
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [i] * count
            b += [j] * count
    return a, b


def test_kappa_sas_reference_example():
    """SAS PROC FREQ example printed in statsmodels' tests
    (statsmodels/stats/tests/test_inter_rater.py, TestUnweightedCohens): kappa 0.4842.
    By hand: po = 13/19, pe = (5*0 + 8*13 + 6*6)/19^2 = 140/361, kappa = 107/221."""
    a, b = _expand([[0, 4, 1], [0, 8, 0], [0, 1, 5]])
    assert cohen_kappa(a, b) == pytest.approx(107 / 221)
    assert round(cohen_kappa(a, b), 4) == 0.4842


def test_kappa_binary_reference_example():
    """The 2 x 2 example of Cohen's kappa often used in teaching (e.g. Wikipedia,
    "Cohen's kappa"): 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no of 50; po = 0.7,
    pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4. Both implementations must give it."""
    a, b = _expand([[15, 10], [5, 20]])  # 0 = no, 1 = yes
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert generate.calibration_kappa(np.array(a), np.array(b)) == pytest.approx(0.4)


def test_alpha_krippendorff_worked_example():
    """Krippendorff (2011), Computing Krippendorff's Alpha-Reliability, section C:
    4 observers, 12 units, missing values, nominal alpha = 0.743 (the same data give
    ordinal 0.815 and ratio 0.797 in the krippendorff package's tests)."""
    n = np.nan
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    assert round(alpha_nominal(data), 3) == 0.743


def test_alpha_three_coder_reference():
    """pln-fing-udelar/fast-krippendorff, tests/test_krippendorff.py
    (test_nominal_metric_reliability_data): nominal alpha 0.691358."""
    n = np.nan
    data = [
        [n, n, n, n, n, 3, 4, 1, 2, 1, 1, 3, 3, n, 3],
        [1, n, 2, 1, 3, 3, 4, 3, n, n, n, n, n, n, n],
        [n, n, 2, 1, 3, 4, 4, n, 2, 1, 1, 3, 3, n, 4],
    ]
    assert round(alpha_nominal(data), 6) == 0.691358


@pytest.mark.parametrize("seed", range(20))
def test_generator_kappa_agrees_with_the_analysis_kappa(seed):
    """The generator calibrates with statsmodels, the analysis reports scikit-learn's
    kappa; on any binary decisions they must agree, or a calibrated 0.71 would not be
    the analysis's 0.71."""
    rng = np.random.default_rng(seed)
    size = int(rng.integers(10, 900))
    a = rng.integers(0, 2, size=size)
    flip = rng.random(size) < rng.uniform(0.02, 0.4)
    b = np.where(flip, 1 - a, a)
    assert generate.calibration_kappa(a, b) == pytest.approx(cohen_kappa(a, b), abs=1e-12)


def test_generator_kappa_on_the_committed_calibration_rounds():
    """The published 0.71: the generator's check and the analysis give the same value
    on the pooled incident x label decisions of both calibration rounds."""
    ann = load_annotations(INCIDENTS / "annotations.csv", TAXONOMY)
    calib = ann[ann["round"].str.startswith("calibration")]
    first, second = (
        calib[calib["annotator"] == who].sort_values(["round", "incident_id"]) for who in ("A", "B")
    )
    assert first["incident_id"].tolist() == second["incident_id"].tolist()
    x = indicator(first["labels"].map(parse), LABELS)
    y = indicator(second["labels"].map(parse), LABELS)
    mine = generate.calibration_kappa(x, y)
    assert mine == pytest.approx(cohen_kappa(x.ravel(), y.ravel()), abs=1e-12)
    assert round(mine, 2) == 0.71
    rounds, _ = agreement_tables(ann, LABELS)
    assert rounds.set_index("round").loc["calibration", "kappa"] == pytest.approx(mine)
