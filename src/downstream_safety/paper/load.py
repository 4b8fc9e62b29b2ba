"""Read the published-claims registry and the stages' numbers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import read_table
from downstream_safety.paper import schemas
from downstream_safety.paper.macros import load_numbers
from downstream_safety.paths import RAW, rel

PUBLISHED = RAW / "published"


def load_published_claims(path: Path | str = PUBLISHED / "claims.csv") -> pd.DataFrame:
    return read_table(path, schemas.PUBLISHED_CLAIMS)


def load_grim_samples(
    path: Path | str = PUBLISHED / "grim_samples.csv",
    claims_path: Path | str = PUBLISHED / "claims.csv",
) -> pd.DataFrame:
    samples = read_table(path, schemas.GRIM_SAMPLES)
    known = set(load_published_claims(claims_path)["claim_id"])
    bad = ~samples["claim_id"].isin(sorted(known))
    if bad.any():
        raise InputError(
            rel(path),
            "claim id(s) not in claims.csv",
            column="claim_id",
            rows=(samples.index[bad] + 2).tolist(),
            values=samples.loc[bad, "claim_id"].tolist(),
            fix="use the claim_id of a row of data/raw/published/claims.csv",
        )
    return samples


def check_published(folder: Path | str = PUBLISHED) -> None:
    """Parse-time validation of the two registry files."""
    folder = Path(folder)
    load_published_claims(folder / "claims.csv")
    load_grim_samples(folder / "grim_samples.csv", folder / "claims.csv")


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
