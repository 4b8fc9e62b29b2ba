"""The survey's item and label vocabulary, taken from the instrument tables.

The survey contract (which columns, which labels) is data in
``data/raw/instruments/``; this module turns it into the lookups the reader
and the analysis need, so that no label is typed anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from downstream_safety.instruments.load import load_survey_instrument
from downstream_safety.paths import INSTRUMENTS

CONTEXTS = ["data", "behaviour", "misuse"]
CONTEXT_LABELS = {"data": "C1 data", "behaviour": "C2 model behaviour", "misuse": "C3 misuse"}
# The pairs compared for every practice, in the order of the output table.
CONTEXT_PAIRS = [("behaviour", "data"), ("behaviour", "misuse"), ("data", "misuse")]

AI_PROJECTS = ["None", "1-5", "5-10", "10-25", "More than 25"]
EXPERIENCE = ["None", "1-2 years", "3-5 years", "6-10 years", "More than 10 years"]
VERDICTS = ["accept", "reject"]
DEMOGRAPHICS = {
    "ai_projects": AI_PROJECTS,
    "dl_experience": EXPERIENCE,
    "se_experience": EXPERIENCE,
}
ID_COLUMN = "respondent_id"


@dataclass(frozen=True)
class Items:
    """Items in instrument order, with their scale labels and missing labels."""

    table: pd.DataFrame
    labels: dict[str, dict[str, int]]  # scale_id -> label -> code
    missing_labels: tuple[str, ...]

    @property
    def ids(self) -> list[str]:
        return self.table["item_id"].tolist()

    def of_block(self, block: str) -> list[str]:
        return self.table.loc[self.table["block"] == block, "item_id"].tolist()

    def scale_of(self, item_id: str) -> str:
        return str(self.table.set_index("item_id").at[item_id, "scale_id"])

    def n_levels(self, item_id: str) -> int:
        return len(self.labels[self.scale_of(item_id)])

    def level_labels(self, item_id: str) -> list[str]:
        m = self.labels[self.scale_of(item_id)]
        return sorted(m, key=m.get)

    @property
    def practices(self) -> list[str]:
        freq = self.table[self.table["block"] == "frequency"]
        return list(dict.fromkeys(freq["subtheme_id"]))

    def practice_item(self, practice: str, context: str) -> str:
        return f"freq_{practice}__{context}"


@lru_cache(maxsize=4)
def load_items(folder: Path = INSTRUMENTS) -> Items:
    inst = load_survey_instrument(folder)
    labels = {s: inst.label_map(s) for s in inst.scales["scale_id"].unique()}
    return Items(inst.items, labels, tuple(inst.missing_labels))


def short_labels(folder: Path = INSTRUMENTS) -> dict[str, str]:
    """subtheme_id -> the short label used on the figures' axes."""
    from downstream_safety.instruments.load import load_codebook

    subs = load_codebook(folder).subthemes
    return dict(zip(subs["subtheme_id"], subs["short_label"], strict=True))
