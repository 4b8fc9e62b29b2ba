"""Bootstrap intervals for every survey mean and percentage, effect size,
incident share and kappa.

Each quantity is a vectorised statistic of one or more samples that share a
resampling unit (respondents, incidents, or the incidents of one annotation
round). Resample ``i`` of a unit draws from its own seed (``seeds``), so a
chunk of resamples gives the same numbers whatever the chunking. The gathered
bootstrap distributions go to ``scipy.stats.bootstrap`` (BCa) through its
``bootstrap_result`` argument: scipy computes the interval, including the
jackknife acceleration, from our resamples.

The statistics themselves are ``survey.stats``' functions (one implementation
for both stages). ``effect_size_r`` is bootstrapped as the signed
r = z / sqrt(n): its published magnitude |z| / sqrt(n) is folded at zero, where
BCa is not valid; intervals.csv's ``method`` says so, and its estimate is the
signed value (its magnitude is the survey's effect_size_r).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy import stats as sps

from downstream_safety.common.number_keys import key
from downstream_safety.robustness import seeds
from downstream_safety.robustness.schemas import BCA, BCA_SIGNED_R
from downstream_safety.survey import stats

COLUMNS = ["quantity", "estimate", "ci_low", "ci_high", "method", "level", "n_resamples"]


# effect_size_r's magnitude |z|/sqrt(n) folds the statistic at zero, where BCa fails
# (an interval could exclude its own estimate); its intervals are of the signed r.
METHOD, SIGNED_R_METHOD = BCA, BCA_SIGNED_R


@dataclass(frozen=True)
class Quantity:
    id: str
    unit: tuple[int, ...]  # (stream, *key): the resampling unit
    samples: tuple[np.ndarray, ...]  # aligned along the last axis (the units)
    statistic: Callable  # statistic(*samples, axis=-1), vectorised
    method: str = METHOD  # what intervals.csv's method column says


# The statistics are survey.stats' own functions, so a bootstrap estimate is the
# survey stage's value by construction.


def _mean(x, axis=-1):
    return stats.mean(x, axis)


def _pct_top2(n_levels: int):
    return lambda x, axis=-1: stats.pct_top2(x, n_levels, axis)


def _pct_lowest(x, axis=-1):
    return stats.pct_lowest(x, axis)


def _practice_score(*xs, axis=-1):
    return stats.practice_score([stats.mean(x, axis) for x in xs])


def _pct_of_ones(x, axis=-1):
    """% of respondents with a 1 in an indicator (a demographic answer)."""
    return stats.percent_where(x, lambda v: v == 1, axis)


def _cohen_d(x, y, axis=-1):
    return stats.cohen_d(x, y, axis)


def _rank_biserial(zero_method: str):
    return lambda x, y, axis=-1: stats.rank_biserial(x, y, zero_method, axis)


def _signed_r(settings: stats.WilcoxonSettings):
    return lambda x, y, axis=-1: stats.signed_r(x, y, settings, axis)


def pooled_kappa(both_pos, both_neg, first_pos, second_pos, n_labels: int):
    """Cohen's kappa over all incident x label decisions from per-incident counts.

    Hand-written because scikit-learn's cohen_kappa_score takes one resample at
    a time; summing per-incident counts vectorises it over resamples (the test
    suite checks it against scikit-learn)."""

    def stat(a, b, f1, f2, axis=-1):
        total = a.shape[axis] * n_labels
        po = (a.sum(axis=axis) + b.sum(axis=axis)) / total
        p1, p2 = f1.sum(axis=axis) / total, f2.sum(axis=axis) / total
        pe = p1 * p2 + (1 - p1) * (1 - p2)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(pe < 1, (po - pe) / (1 - pe), np.nan)

    return (both_pos, both_neg, first_pos, second_pos), stat


def survey_quantities(
    valid: pd.DataFrame,
    *,
    items: list[str],
    n_levels: dict[str, int],
    practice_items: dict[str, dict[str, str]],
    context_pairs: list[tuple[str, str]],
    demographics: dict[str, list[str]],
    settings: dict,
    score_items: dict[str, list[str]] | None = None,
) -> list[Quantity]:
    """Quantities over the valid respondents (resampled together).

    ``score_items`` maps a practice to the items its score averages (default: its
    context items), as the survey's numbers do.
    """
    tests = stats.WilcoxonSettings.from_config(settings)
    if tests.zero_method != "wilcox":
        # Only with 'wilcox' does a missing pair drop out of a resample exactly as
        # in pairwise deletion (survey.stats.wilcoxon_z).
        raise ValueError(
            "bootstrap of effect_size_r supports survey.tests.zero_method 'wilcox' only"
        )
    if score_items is None:
        score_items = {p: list(cols.values()) for p, cols in practice_items.items()}
    unit = (seeds.RESPONDENTS,)
    q: list[Quantity] = []
    for item in items:
        x = valid[item].to_numpy(float)
        q.append(Quantity(key("mean", item), unit, (x,), _mean))
        q.append(Quantity(key("pct_top2", item), unit, (x,), _pct_top2(n_levels[item])))
        q.append(Quantity(key("pct_lowest", item), unit, (x,), _pct_lowest))
    for practice, cols in score_items.items():
        xs = tuple(valid[c].to_numpy(float) for c in cols)
        q.append(Quantity(key("practice_score", practice), unit, xs, _practice_score))
    for question, answers in demographics.items():
        for answer in answers:
            x = (valid[question] == answer).to_numpy(float)
            q.append(Quantity(key("demo_pct", question, answer), unit, (x,), _pct_of_ones))
    r_stat, rb_stat = _signed_r(tests), _rank_biserial(tests.zero_method)
    for practice, cols in practice_items.items():
        for a, b in context_pairs:
            if a not in cols or b not in cols:
                continue  # the practice was not asked in both contexts
            pair = (valid[cols[a]].to_numpy(float), valid[cols[b]].to_numpy(float))
            q.append(Quantity(key("effect_size_d", practice, a, b), unit, pair, _cohen_d))
            q.append(
                Quantity(key("effect_size_r", practice, a, b), unit, pair, r_stat, SIGNED_R_METHOD)
            )
            q.append(Quantity(key("rank_biserial", practice, a, b), unit, pair, rb_stat))
    return q


def incident_quantities(indicator: pd.DataFrame) -> list[Quantity]:
    """Share of incidents per label (one row per adjudicated incident)."""
    unit = (seeds.INCIDENTS,)
    return [
        Quantity(
            key("incidents_pct", label),
            unit,
            (indicator[label].to_numpy(float),),
            lambda x, axis=-1: 100.0 * np.mean(x, axis=axis),
        )
        for label in indicator.columns
    ]


def kappa_quantities(rounds: list[tuple[str, np.ndarray, np.ndarray]]) -> list[Quantity]:
    """Pooled kappa per round from the two annotators' indicator matrices."""
    out = []
    for j, (name, first, second) in enumerate(rounds):
        a = (first & second).sum(axis=1).astype(float)
        b = (~first & ~second).sum(axis=1).astype(float)
        samples, stat = pooled_kappa(
            a, b, first.sum(axis=1).astype(float), second.sum(axis=1).astype(float), first.shape[1]
        )
        out.append(Quantity(key("kappa", name), (seeds.ROUND_INCIDENTS, j), samples, stat))
    return out


def resample_block(
    quantities: list[Quantity], seed: int, draws: range, block: int = 1000
) -> np.ndarray:
    """Statistic of every quantity (columns) in resamples ``draws`` (rows).

    Works through ``block`` resamples at a time so that memory, and with it the
    cost per resample, stays flat as the number of resamples grows."""
    out = np.empty((len(draws), len(quantities)))
    for start in range(0, len(draws), block):
        part = draws[start : start + block]
        indices: dict[tuple, np.ndarray] = {}
        for col, q in enumerate(quantities):
            n = len(q.samples[0])
            key = (*q.unit, n)
            if key not in indices:
                stream, *rest = q.unit
                indices[key] = seeds.resample_indices(seed, stream, n, part, *rest)
            idx = indices[key]
            out[start : start + len(part), col] = q.statistic(*(s[idx] for s in q.samples), axis=-1)
    return out


def intervals(quantities: list[Quantity], distribution: np.ndarray, level: float) -> pd.DataFrame:
    """BCa intervals from the gathered bootstrap distribution (resamples x quantities)."""
    if distribution.shape[1] != len(quantities):
        raise ValueError(
            f"bootstrap distribution has {distribution.shape[1]} columns for "
            f"{len(quantities)} quantities: a bug in the package"
        )
    rows = []
    for col, q in enumerate(quantities):
        estimate = float(q.statistic(*q.samples, axis=-1))
        with warnings.catch_warnings():
            # A degenerate distribution (e.g. a share of 0 %) has no BCa interval:
            # scipy returns NaN and warns; the table shows it as empty.
            warnings.simplefilter("ignore")
            res = sps.bootstrap(
                q.samples,
                q.statistic,
                n_resamples=0,
                bootstrap_result=SimpleNamespace(bootstrap_distribution=distribution[:, col]),
                paired=len(q.samples) > 1,
                vectorized=True,
                axis=-1,
                confidence_level=level,
                method="BCa",
            )
        rows.append(
            {
                "quantity": q.id,
                "estimate": estimate,
                "ci_low": float(res.confidence_interval.low),
                "ci_high": float(res.confidence_interval.high),
                "method": q.method,
                "level": level,
                "n_resamples": distribution.shape[0],
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
