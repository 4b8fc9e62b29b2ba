"""Properties of the survey stage under reordering and added waves (Hypothesis)."""

from __future__ import annotations

import functools
import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from downstream_safety.paths import RAW
from tests.reliability import faults as F

WAVE1 = RAW / "survey" / "wave1.csv"
pytestmark = pytest.mark.skipif(not WAVE1.exists(), reason="no survey wave shipped")
FAST = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _close(a, b):
    """Equal, up to floating-point rounding of sums taken in another order."""
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, float) or isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def _statistics(responses):
    from downstream_safety.survey.stats import WilcoxonSettings, item_summary, paired_test
    from tests.survey.helpers import paper_design

    design = paper_design()
    out = {}
    for item_id in design.item_ids:
        out[item_id] = item_summary(responses[item_id], design.scale_of(item_id))
    freq = design.contextual_items["item_id"].tolist()
    for a, b in zip(freq, freq[1:], strict=False):
        out[f"{a}|{b}"] = paired_test(responses[a], responses[b], WilcoxonSettings())
    return out


@functools.cache
def _shipped_statistics():
    from downstream_safety.survey.load import read_wave
    from tests.survey.helpers import paper_design

    return _statistics(read_wave("wave1", WAVE1, paper_design()).responses)


@FAST
@given(seed=st.integers(0, 2**32 - 1))
def test_permuting_respondents_never_changes_a_statistic(seed):
    from downstream_safety.survey.load import read_wave
    from tests.survey.helpers import paper_design

    with tempfile.TemporaryDirectory() as tmp:
        header, rows = F.parse(WAVE1.read_bytes())
        np.random.default_rng(seed).shuffle(rows)
        path = Path(tmp) / "wave1.csv"
        path.write_bytes(F.unparse(header, rows))
        shuffled = read_wave("wave1", path, paper_design()).responses
    assert _close(_statistics(shuffled), _shipped_statistics())


@FAST
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40))
def test_adding_a_wave_never_changes_another_waves_rows(seed, n):
    from downstream_safety.survey.load import read_waves
    from tests.survey.helpers import paper_design

    design = paper_design()
    header, rows = F.parse(WAVE1.read_bytes())
    rng = np.random.default_rng(seed)
    picked = [list(rows[i]) for i in rng.choice(len(rows), size=min(n, len(rows)), replace=False)]
    rid = header.index("respondent_id")
    for j, row in enumerate(picked):
        row[rid] = f"W2_{j:04d}"
    with tempfile.TemporaryDirectory() as tmp:
        wave2 = Path(tmp) / "wave2.csv"
        wave2.write_bytes(F.unparse(header, picked))
        alone = read_waves([{"id": "wave1", "responses": str(WAVE1)}], design)
        both = read_waves(
            [{"id": "wave1", "responses": str(WAVE1)}, {"id": "wave2", "responses": str(wave2)}],
            design,
        )
    assert both[0].responses.equals(alone[0].responses)
    assert len(both[1].responses) == len(picked)
