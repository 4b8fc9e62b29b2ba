"""Write a rule's tables all-or-nothing: validate every table before writing any,
so bad data never leaves some outputs of a rule fresh and others stale."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from downstream_safety.common.tableio import validate, write_table


def write_tables(tables: list[tuple[pd.DataFrame, Path | str, pa.DataFrameSchema]]) -> None:
    checked = [(validate(df.reset_index(drop=True), s, p), p, s) for df, p, s in tables]
    for df, path, schema in checked:
        write_table(df, path, schema)
