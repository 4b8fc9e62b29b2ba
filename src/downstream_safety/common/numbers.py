"""The stage-to-paper interface: each stage writes its headline numbers as a
tidy ``numbers.csv`` (key, value, description), unrounded. The paper stage
renders them into macros and compares them with the published claims, so no
number is ever typed into the manuscript by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pandera.pandas as pa

KEY = r"^[a-z][a-z0-9_]*$"

NUMBERS = pa.DataFrameSchema(
    {
        "key": pa.Column(
            str,
            pa.Check.str_matches(KEY),
            unique=True,
            description="lower_snake_case key, '__' separates parts",
        ),
        "value": pa.Column(float, nullable=False, description="the unrounded number"),
        "description": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    coerce=True,
    name="numbers",
)


def numbers_frame(rows: Iterable[tuple[str, float, str]]) -> pd.DataFrame:
    """Sorted by key so the file is byte-stable."""
    df = pd.DataFrame(list(rows), columns=["key", "value", "description"])
    df["value"] = df["value"].astype(float)
    return df.sort_values("key").reset_index(drop=True)
