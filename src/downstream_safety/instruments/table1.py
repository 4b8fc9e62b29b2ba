"""Table 1: interview topics, question counts, sample questions and survey scales."""

from __future__ import annotations

import pandas as pd

from downstream_safety.instruments.load import scale_description


def build_table1(protocol: pd.DataFrame, scales: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "topic": protocol["topic"],
            "n_questions": protocol["n_questions"].astype(int),
            "sample_question": protocol["sample_question"],
            "survey_scale": [scale_description(scales, s) for s in protocol["survey_scale_id"]],
        }
    )
    return out.reset_index(drop=True)


def display_table1(table1: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Topic (# questions)": [
                f"{t} ({n})" for t, n in zip(table1["topic"], table1["n_questions"], strict=True)
            ],
            "Sample question": table1["sample_question"],
            "Survey scale": table1["survey_scale"],
        }
    )
