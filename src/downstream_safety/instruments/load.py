"""The interview protocol (Table 1); the other instrument tables are read by
:mod:`downstream_safety.instruments.design`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import read_table
from downstream_safety.instruments import schemas
from downstream_safety.paths import rel


def _dangling(values: pd.Series, allowed: set, file: Path, column: str, target: str):
    bad = ~values.isin(sorted(allowed))
    if bad.any():
        raise InputError(
            rel(file),
            f"value(s) not defined in {target}",
            column=column,
            rows=(values.index[bad] + 2).tolist(),
            values=values[bad].tolist(),
            fix=f"use one of: {', '.join(sorted(allowed))}",
        )


def load_protocol(protocol: Path | str, scales: Path | str) -> pd.DataFrame:
    """The interview protocol in topic order, its survey scales checked against ``scales``."""
    proto = read_table(protocol, schemas.PROTOCOL)
    scale_table = read_table(scales, schemas.SCALES)
    _dangling(
        proto.loc[proto["survey_scale_id"] != "", "survey_scale_id"],
        set(scale_table["scale_id"]),
        Path(protocol),
        "survey_scale_id",
        Path(scales).name,
    )
    return proto.sort_values("topic_order").reset_index(drop=True)


def scale_description(scales: pd.DataFrame, scale_id: str) -> str:
    """'5-point scale: from <lowest> to <highest>' as Table 1 prints it."""
    if not scale_id:
        return "N/A"
    s = scales[scales["scale_id"] == scale_id].sort_values("code")
    return f"{len(s)}-point scale: from {s['label'].iloc[0]} to {s['label'].iloc[-1]}"
