"""Read the published-claims registry and the stages' numbers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import read_table
from downstream_safety.paper import assumptions, schemas
from downstream_safety.paper.macros import load_numbers
from downstream_safety.paths import rel

_KEYS = {"claims": "paper.published_claims", "samples": "paper.published_samples"}


def load_published_claims(path: Path | str) -> pd.DataFrame:
    """The registry of published numbers (a study without any sets the key to null)."""
    return read_table(path, schemas.PUBLISHED_CLAIMS)


def load_grim_samples(path: Path | str, claims_path: Path | str) -> pd.DataFrame:
    samples = read_table(path, schemas.GRIM_SAMPLES)
    known = set(load_published_claims(claims_path)["claim_id"])
    bad = ~samples["claim_id"].isin(sorted(known))
    if bad.any():
        raise InputError(
            rel(path),
            "claim id(s) not in the claims registry",
            column="claim_id",
            rows=(samples.index[bad] + 2).tolist(),
            values=samples.loc[bad, "claim_id"].tolist(),
            fix=f"use the claim_id of a row of {rel(claims_path)}",
        )
    return samples


def check_assumptions(claims: pd.DataFrame, samples: pd.DataFrame, path: Path | str) -> None:
    """Each assumption must be checkable: survey item statistics for missing
    answers; for a one_of group, at least two shares with a stated n that
    indeed cannot all hold."""
    kind = claims["assumption"].str.partition("=")[0]
    bad_key = (kind == "missing_answers") & claims["number_key"].map(
        lambda k: assumptions.item_of(k) is None
    )
    if bad_key.any():
        raise InputError(
            rel(path),
            "missing_answers applies only to a survey item's mean or share",
            column="number_key",
            rows=(claims.index[bad_key] + 2).tolist(),
            values=claims.loc[bad_key, "number_key"].tolist(),
            fix="map the claim to a mean__<item> or pct_...__<item> key, or drop the assumption",
        )
    n_of = dict(zip(samples["claim_id"], samples["n"], strict=True))
    groups = claims[kind == "one_of"].groupby("assumption", sort=True)
    for assumption, group in groups:
        ns = {n_of.get(c) for c in group["claim_id"]}
        rows = (group.index + 2).tolist()
        if len(group) < 2 or None in ns or len(ns) != 1:
            raise InputError(
                rel(path),
                f"group {assumption!r} needs two or more claims with one stated n "
                "in grim_samples.csv",
                column="assumption",
                rows=rows,
                values=group["claim_id"].tolist(),
                fix="list every share of the question in the group and give each its n",
            )
        n = int(ns.pop())
        need = assumptions.respondents_needed(group["published"].tolist(), n)
        if need <= n:
            raise InputError(
                rel(path),
                f"the shares of {assumption!r} need only {need} respondents of n = {n}, "
                "so they do not contradict each other",
                column="assumption",
                rows=rows,
                values=group["claim_id"].tolist(),
                fix="remove the one_of assumption from these claims",
            )


def check_published(
    claims: Path | str,
    samples: Path | str | None,
    *,
    config_file: str = "config/config.yaml",
) -> None:
    """Parse-time validation of the registry files the config names."""
    for what, path in (("claims", claims), ("samples", samples)):
        if path is None or not Path(path).exists():
            raise InputError(
                config_file,
                f"{_KEYS[what]} names no existing file ({path})",
                column=_KEYS[what],
                values=[str(path)],
                fix=f"point {_KEYS[what]} at the file, or set paper.published_claims and "
                "paper.published_samples to null when the study has no published numbers",
            )
    published = load_published_claims(claims)
    check_assumptions(published, load_grim_samples(samples, claims), claims)


def answer_counts(levels: pd.DataFrame, pooled: str) -> dict[str, dict[int, int]]:
    """item -> answer level -> count of the pooled survey rows (what numbers.csv uses).

    ``levels`` is the survey stage's item_levels table, read with its owner's
    schema by the job; ``pooled`` is the wave id of its pooled rows.
    """
    rows = levels[levels["wave"] == pooled]
    out: dict[str, dict[int, int]] = {}
    for item, level, count in rows[["item_id", "level", "count"]].itertuples(index=False):
        out.setdefault(item, {})[int(level)] = int(count)
    return out


def number_values(stages: Sequence[str], paths: Sequence[Path | str]) -> dict[str, float]:
    """key -> value over all numbers files (a key may appear in one file only)."""
    numbers = load_numbers(dict(zip(stages, paths, strict=True)))
    return dict(zip(numbers["key"], numbers["value"].astype(float), strict=True))


def numeric(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Text columns of another stage's table as numbers (empty -> missing)."""
    out = df.copy()
    for col in columns:
        if col in out.columns:
            out[col] = pd.to_numeric(out[col].replace("", None))
    return out
