"""Screening as a list of rules, so a specification can leave rules out.

The rules are the survey's own (``instruments.design.ScreeningRule``), and each
decides with its own ``excludes`` method, so the robustness stage screens
exactly as the survey stage does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from downstream_safety.instruments.design import ScreeningRule


def excluded(
    responses: pd.DataFrame, rules: Sequence[ScreeningRule], skip: Iterable[str] = ()
) -> pd.Series:
    """True for respondents that any rule not in ``skip`` excludes."""
    skip = set(skip)
    out = pd.Series(False, index=responses.index)
    for rule in rules:
        if rule.id not in skip:
            out |= rule.excludes(responses)
    return out


def kept(
    responses: pd.DataFrame, rules: Sequence[ScreeningRule], skip: Iterable[str] = ()
) -> pd.DataFrame:
    return responses[~excluded(responses, rules, skip)]
