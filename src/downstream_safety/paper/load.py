"""Read the published-claims registry and the stages' numbers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import read_table
from downstream_safety.paper import schemas
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
    load_published_claims(claims)
    load_grim_samples(samples, claims)


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
