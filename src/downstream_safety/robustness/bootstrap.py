"""Bootstrap intervals for every survey mean and percentage, effect size,
incident share and kappa.

Each quantity is a vectorised statistic of one or more samples that share a
resampling unit (respondents, incidents, or the incidents of one annotation
round). Resample ``i`` of a unit draws from its own seed (``seeds``), so a
chunk of resamples gives the same numbers whatever the chunking. The gathered
bootstrap distributions go to ``scipy.stats.bootstrap`` (BCa) through its
``bootstrap_result`` argument: scipy computes the interval, including the
jackknife acceleration, from our resamples.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy import stats

from downstream_safety.robustness import seeds
from downstream_safety.survey.numbers import slug

COLUMNS = ["quantity", "estimate", "ci_low", "ci_high", "method", "level", "n_resamples"]


@dataclass(frozen=True)
class Quantity:
    id: str
    unit: tuple[int, ...]  # (stream, *key): the resampling unit
    samples: tuple[np.ndarray, ...]  # aligned along the last axis (the units)
    statistic: Callable  # statistic(*samples, axis=-1), vectorised


def _nanmean(x, axis=-1):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(x, axis=axis)


def _share(condition: Callable):
    """100 x share of answered values meeting ``condition`` (NaN = not answered)."""

    def stat(x, axis=-1):
        answered = ~np.isnan(x)
        with np.errstate(invalid="ignore", divide="ignore"):
            hit = np.where(answered, condition(np.nan_to_num(x)), False)
            return 100.0 * hit.sum(axis=axis) / answered.sum(axis=axis)

    return stat


def _practice_score(*xs, axis=-1):
    return np.mean([_nanmean(x, axis=axis) for x in xs], axis=0)


def cohen_d(x, y, axis=-1):
    """As survey.stats.cohen_d, over pairs where both answers exist, vectorised."""
    both = ~(np.isnan(x) | np.isnan(y))
    n = both.sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        xs, ys = np.where(both, x, 0.0), np.where(both, y, 0.0)
        mx, my = xs.sum(axis=axis) / n, ys.sum(axis=axis) / n
        vx = (np.where(both, x, 0.0) ** 2).sum(axis=axis) - n * mx**2
        vy = (np.where(both, y, 0.0) ** 2).sum(axis=axis) - n * my**2
        pooled = np.sqrt((vx + vy) / (n - 1) / 2.0)
        d = (mx - my) / pooled
    return np.where((n >= 2) & (pooled > 0), d, np.nan)


def _differences(x, y):
    """Paired differences with a missing pair as 0: with zero_method 'wilcox'
    scipy drops zero differences, so a missing pair drops out exactly as in
    pairwise deletion, and the test vectorises over resamples."""
    d = x - y
    return np.where(np.isnan(d), 0.0, d), (~np.isnan(d)).sum(axis=-1)


def effect_size_r(settings: dict):
    def stat(x, y, axis=-1):
        d, n = _differences(np.moveaxis(x, axis, -1), np.moveaxis(y, axis, -1))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            z = stats.wilcoxon(
                d,
                axis=-1,
                zero_method="wilcox",
                correction=settings["correction"],
                method="approx",
                alternative=settings["alternative"],
            ).zstatistic
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.abs(z) / np.sqrt(n)

    return stat


def rank_biserial(x, y, axis=-1):
    """As survey.stats.rank_biserial (zero_method 'wilcox'), vectorised."""
    d, _ = _differences(np.moveaxis(x, axis, -1), np.moveaxis(y, axis, -1))
    a = np.where(d == 0, np.nan, np.abs(d))
    ranks = stats.rankdata(a, axis=-1, nan_policy="omit")
    r_plus = np.where(d > 0, ranks, 0.0).sum(axis=-1)
    r_minus = np.where(d < 0, ranks, 0.0).sum(axis=-1)
    total = r_plus + r_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (r_plus - r_minus) / total, np.nan)


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
) -> list[Quantity]:
    """Quantities over the valid respondents (resampled together)."""
    if settings["zero_method"] != "wilcox":
        raise ValueError(
            "bootstrap of effect_size_r supports survey.tests.zero_method 'wilcox' only"
        )
    unit = (seeds.RESPONDENTS,)
    q: list[Quantity] = []
    for item in items:
        x = valid[item].to_numpy(float)
        k = n_levels[item]
        q.append(Quantity(f"mean__{item}", unit, (x,), _nanmean))
        q.append(Quantity(f"pct_top2__{item}", unit, (x,), _share(lambda v, k=k: v >= k - 1)))
        q.append(Quantity(f"pct_lowest__{item}", unit, (x,), _share(lambda v: v == 1)))
    for practice, cols in practice_items.items():
        xs = tuple(valid[c].to_numpy(float) for c in cols.values())
        q.append(Quantity(f"practice_score__{practice}", unit, xs, _practice_score))
    for question, answers in demographics.items():
        for answer in answers:
            x = (valid[question] == answer).to_numpy(float)
            q.append(
                Quantity(f"demo_pct__{question}__{slug(answer)}", unit, (x,), _share(lambda v: v))
            )
    r_stat = effect_size_r(settings)
    for practice, cols in practice_items.items():
        for a, b in context_pairs:
            pair = (valid[cols[a]].to_numpy(float), valid[cols[b]].to_numpy(float))
            key = f"{practice}__{a}__{b}"
            q.append(Quantity(f"effect_size_d__{key}", unit, pair, cohen_d))
            q.append(Quantity(f"effect_size_r__{key}", unit, pair, r_stat))
            q.append(Quantity(f"rank_biserial__{key}", unit, pair, rank_biserial))
    return q


def incident_quantities(indicator: pd.DataFrame) -> list[Quantity]:
    """Share of incidents per label (one row per adjudicated incident)."""
    unit = (seeds.INCIDENTS,)
    return [
        Quantity(
            f"incidents_pct__{label}",
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
        out.append(Quantity(f"kappa__{name}", (seeds.ROUND_INCIDENTS, j), samples, stat))
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
            res = stats.bootstrap(
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
                "method": "BCa",
                "level": level,
                "n_resamples": distribution.shape[0],
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
