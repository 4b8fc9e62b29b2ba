"""The shipped (reconstructed) wave, run through the survey analysis, against the
paper's printed survey numbers.

The expected values are read from the transcription of the paper
(``data/raw/published/claims.csv``), not from the generator's targets, and the
comparison is done here, independently of the paper stage's audit. Where the
printed numbers contradict each other, the test checks that the reconstruction
does not hide it: a GRIM-impossible value must NOT come out of the complete
answers, and of a group of shares that cannot all hold exactly one misses.
What these tests show is that the generator and the analysis agree; the
analysis itself is checked against hand computations in test_stats.py and
test_analysis.py.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from downstream_safety.paths import ROOT
from downstream_safety.survey import analysis
from downstream_safety.survey.load import read_waves
from downstream_safety.survey.numbers import survey_numbers
from downstream_safety.survey.stats import WilcoxonSettings
from tests.survey.helpers import paper_design

ORDER = ["wave1"]


def printed(value: float, published: str) -> str:
    """The value rounded half up to the decimals of the printed string."""
    decimals = len(published.split(".")[1]) if "." in published else 0
    q = Decimal(1).scaleb(-decimals)
    return str(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def numbers() -> dict[str, float]:
    design = paper_design()
    wave1 = str(ROOT / "data/raw/survey/wave1.csv")
    waves = read_waves([{"id": "wave1", "responses": wave1}], design)
    resp = analysis.with_status(pd.concat([w.responses for w in waves]), design)
    summary, levels = analysis.item_tables(resp, design, ORDER)
    nums = survey_numbers(
        analysis.screening_table(resp, design, ORDER),
        analysis.demographics_table(resp, design, ORDER),
        summary,
        levels,
        analysis.practice_tests(resp, design, ORDER, WilcoxonSettings()),
        design,
    )
    return dict(zip(nums["key"], nums["value"], strict=True))


@pytest.fixture(scope="module")
def claims(numbers) -> pd.DataFrame:
    """Registry rows whose quantity the survey stage computes (plain keys only)."""
    reg = pd.read_csv(ROOT / "data/raw/published/claims.csv", dtype=str, keep_default_na=False)
    mine = reg[reg["number_key"].isin(list(numbers)) & ~reg["published"].str.match(r"^[<>≥≤≈]")]
    assert len(mine) > 80, "the registry's survey claims were not found"
    return mine.set_index("claim_id")


def _matches(claims, numbers) -> pd.Series:
    return pd.Series(
        {
            cid: printed(numbers[r.number_key], r.published) == r.published
            for cid, r in claims.iterrows()
        }
    )


def test_plain_claims_are_reproduced(claims, numbers):
    plain = claims[(claims["assumption"] == "") & ~claims["note"].str.contains("swapped")]
    ok = _matches(plain, numbers)
    assert ok.all(), {c: plain.loc[c, "published"] for c in ok.index[~ok]}


def test_grim_impossible_values_do_not_come_out_of_complete_answers(claims, numbers):
    """96% (C075) and 3.04 (C105) cannot arise from 86 answers; the reconstruction
    must not add a missing answer to make them appear."""
    assumed = claims[claims["assumption"].str.startswith("missing_answers=")]
    assert sorted(assumed.index) == ["C075", "C105"]
    for cid, r in assumed.iterrows():
        item = r.number_key.split("__", 1)[1]
        assert numbers[f"n_valid__{item}"] == numbers["screen__valid"] == 86, cid
        assert printed(numbers[r.number_key], r.published) != r.published, cid


def test_exactly_one_share_of_each_contradictory_group_misses(claims, numbers):
    groups = claims[claims["assumption"].str.startswith("one_of=")].groupby("assumption")
    assert len(groups) == 2
    for name, group in groups:
        assert (~_matches(group, numbers)).sum() == 1, name


def test_swapped_table3_cells_come_out_swapped(claims, numbers):
    swapped = claims[
        claims.index.str.startswith("T3_survey__") & claims["note"].str.contains("swapped")
    ]
    assert len(swapped) == 2
    (a, ra), (b, rb) = swapped.iterrows()
    assert printed(numbers[ra.number_key], rb.published) == rb.published, a
    assert printed(numbers[rb.number_key], ra.published) == ra.published, b


def test_five_significant_tests_and_no_other(claims, numbers):
    p_claims = claims[claims["number_key"].str.startswith("p__")]
    assert len(p_claims) == 5
    others = [k for k in numbers if k.startswith("p__") and k not in set(p_claims["number_key"])]
    assert len(others) == 19
    assert all(numbers[k] > 0.05 for k in others), [k for k in others if numbers[k] <= 0.05]
