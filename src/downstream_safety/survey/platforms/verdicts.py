"""Screening verdicts given after the export (a wave's ``verdicts:`` CSV)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError, combine
from downstream_safety.common.tableio import read_csv_text
from downstream_safety.paths import rel
from downstream_safety.survey.platforms.common import flag


def add_verdicts(
    frame: pd.DataFrame, path: Path | str, wave: str, columns: list[str]
) -> pd.DataFrame:
    """Fill screening columns (e.g. description_verdict) from the wave's ``verdicts`` file."""
    file = rel(Path(path))
    v = read_csv_text(path, required=["respondent_id"])
    v = v.apply(lambda c: c.str.strip())
    given = [c for c in v.columns if c in columns]
    other = [c for c in v.columns if c != "respondent_id" and c not in columns]
    problems = []
    if not given or other:
        problems.append(
            InputError(
                file,
                f"survey wave '{wave}': verdict columns must be screening columns",
                column=", ".join(other) or None,
                fix=f"use respondent_id and some of: {', '.join(columns)}",
            )
        )
    dup = v["respondent_id"].duplicated(keep=False)
    if dup.any():
        problems.append(
            flag(
                file,
                f"survey wave '{wave}': respondent given two verdicts",
                v,
                dup,
                "respondent_id",
                "keep one row per respondent",
            )
        )
    unknown = ~v["respondent_id"].isin(frame["respondent_id"])
    if unknown.any():
        problems.append(
            flag(
                file,
                f"survey wave '{wave}': verdict(s) for respondents not in the export "
                "(or excluded as preview, spam or unfinished)",
                v,
                unknown,
                "respondent_id",
                "give verdicts only for the export's finished responses, by their response id",
            )
        )
    if problems:
        raise combine(problems)
    out = frame.drop(columns=[c for c in given if c in frame.columns])
    # A respondent without a verdict gets an empty cell, which the label check reports.
    merged = out.reset_index().merge(v[["respondent_id", *given]], on="respondent_id", how="left")
    merged = merged.set_index("index").rename_axis(None)
    merged[given] = merged[given].fillna("")
    return merged
