"""The recruitment stage's headline numbers (``numbers.csv``)."""

from __future__ import annotations

import pandas as pd

from downstream_safety.common.number_keys import key
from downstream_safety.common.numbers import numbers_frame
from downstream_safety.recruitment.sampling import SamplingRule

DESCRIPTIONS = {
    "pro_users": "Hugging Face PRO users in the pool",
    "unique_users": "unique users after deduplication",
    "contacted": "users contacted",
    "scheduled": "contacted users who scheduled an interview",
    "attended": "contacted users who attended",
    "network": "participants from the personal network",
    "participants": "interview participants in all",
}


def recruitment_numbers(
    funnel: pd.DataFrame, rates: pd.DataFrame, extra: dict[str, int], rule: SamplingRule
) -> pd.DataFrame:
    descriptions = DESCRIPTIONS | {"org_users": f"users of {rule.organisations('/')}"}
    rows = [
        (key("funnel", s), n, descriptions[s])
        for s, n in zip(funnel["stage"], funnel["n"], strict=True)
    ]
    rows += [
        ("funnel__duplicates", extra["duplicates"], "PRO users who are also organisation users"),
        ("funnel__no_show", extra["no_show"], "scheduled users who did not attend"),
        ("funnel__declined", extra["declined"], "contacted users who declined"),
        ("funnel__no_reply", extra["no_reply"], "contacted users who did not reply"),
        (
            "contact__order_violations",
            extra["order_violations"],
            "contacts made after a lower-priority contact (0 = log follows the rule)",
        ),
    ]
    for r in rates.itertuples(index=False):
        rows.append((key(f"{r.measure}_pct"), r.pct, f"{r.numerator} / {r.denominator}, in %"))
    return numbers_frame(rows)
