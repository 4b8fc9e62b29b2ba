"""Screening as a list of rules, so a specification can leave rules out."""

from __future__ import annotations

import pandas as pd


def excluded(responses: pd.DataFrame, rules: list[dict], skip: list[str] = ()) -> pd.Series:
    """True for respondents that any rule not in ``skip`` excludes.

    A rule is ``{id, exclude_if_any: {column: [values]}}``: it excludes a
    respondent whose answer in any listed column is one of that column's values.
    """
    out = pd.Series(False, index=responses.index)
    for rule in rules:
        if rule["id"] in skip:
            continue
        for column, values in rule["exclude_if_any"].items():
            out |= responses[column].astype(str).isin([str(v) for v in values])
    return out


def kept(responses: pd.DataFrame, rules: list[dict], skip: list[str] = ()) -> pd.DataFrame:
    return responses[~excluded(responses, rules, skip)]
