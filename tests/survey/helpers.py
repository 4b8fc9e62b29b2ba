"""Small hand-made survey waves for the tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from downstream_safety.survey.instrument import load_items

IMP = ["Not important at all", "Slightly important", "Moderately important",
       "Very important", "Extremely important"]  # fmt: skip
FREQ = ["I don't do this at all", "I do this occasionally", "I do this frequently",
        "I prioritise this as a critical task"]  # fmt: skip
AGR = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
LABELS = {"importance": IMP, "frequency": FREQ, "agreement": AGR}


def wave_frame(codes: list[dict[str, int]], *, prefix: str = "R", **base) -> pd.DataFrame:
    """One row per dict of item codes (0 = 'I do not know'); other items answer level 3.

    Base columns default to a valid respondent; keyword lists override per row.
    """
    items = load_items()
    rows = []
    for i, c in enumerate(codes):
        row = {
            "respondent_id": f"{prefix}{i + 1:03d}",
            "ai_projects": "1-5",
            "dl_experience": "1-2 years",
            "se_experience": "3-5 years",
            "description_verdict": "accept",
        }
        for col, values in base.items():
            row[col] = values[i]
        for item in items.table.itertuples():
            code = c.get(item.item_id, 3)
            row[item.item_id] = "I do not know" if code == 0 else LABELS[item.block][code - 1]
        rows.append(row)
    return pd.DataFrame(rows)


def write_wave(df: pd.DataFrame, path: Path, **kw) -> Path:
    df.to_csv(path, index=False, lineterminator=kw.pop("lineterminator", "\n"), **kw)
    return path
