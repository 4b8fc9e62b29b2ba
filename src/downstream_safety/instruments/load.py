"""Load the instrument tables and check the references between them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import read_table
from downstream_safety.instruments import schemas
from downstream_safety.paths import INSTRUMENTS, rel


@dataclass(frozen=True)
class Codebook:
    themes: pd.DataFrame
    subthemes: pd.DataFrame

    def subthemes_of(self, rq: str) -> list[str]:
        s = self.subthemes
        return s.loc[s["rq"] == rq, "subtheme_id"].tolist()


@dataclass(frozen=True)
class SurveyInstrument:
    items: pd.DataFrame
    scales: pd.DataFrame
    missing_labels: list[str]

    def label_map(self, scale_id: str) -> dict[str, int]:
        s = self.scales[self.scales["scale_id"] == scale_id]
        return dict(zip(s["label"], s["code"].astype(int), strict=True))

    def n_levels(self, scale_id: str) -> int:
        return int((self.scales["scale_id"] == scale_id).sum())


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


def load_codebook(folder: Path = INSTRUMENTS) -> Codebook:
    themes = read_table(folder / "codebook_themes.csv", schemas.THEMES)
    subs = read_table(folder / "codebook_subthemes.csv", schemas.SUBTHEMES)
    _dangling(
        subs["theme_id"],
        set(themes["theme_id"]),
        folder / "codebook_subthemes.csv",
        "theme_id",
        "codebook_themes.csv",
    )
    rq_of_theme = dict(zip(themes["theme_id"], themes["rq"], strict=True))
    wrong = subs["rq"] != subs["theme_id"].map(rq_of_theme)
    if wrong.any():
        raise InputError(
            rel(folder / "codebook_subthemes.csv"),
            "subtheme RQ differs from the RQ of its theme",
            column="rq",
            rows=(subs.index[wrong] + 2).tolist(),
            fix="make each subtheme's rq equal to its theme's rq in codebook_themes.csv",
        )
    return Codebook(
        themes.sort_values("theme_order").reset_index(drop=True),
        subs.sort_values("subtheme_order").reset_index(drop=True),
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


def load_survey_instrument(folder: Path = INSTRUMENTS) -> SurveyInstrument:
    items = read_table(folder / "survey_items.csv", schemas.ITEMS)
    scales = read_table(folder / "survey_scales.csv", schemas.SCALES)
    missing = read_table(folder / "survey_missing_labels.csv", schemas.MISSING_LABELS)
    codebook = load_codebook(folder)
    _dangling(
        items["scale_id"],
        set(scales["scale_id"]),
        folder / "survey_items.csv",
        "scale_id",
        "survey_scales.csv",
    )
    _dangling(
        items["subtheme_id"],
        set(codebook.subthemes["subtheme_id"]),
        folder / "survey_items.csv",
        "subtheme_id",
        "codebook_subthemes.csv",
    )
    return SurveyInstrument(
        items.sort_values("item_order").reset_index(drop=True),
        scales.sort_values(["scale_id", "code"]).reset_index(drop=True),
        missing["label"].tolist(),
    )


def scale_description(scales: pd.DataFrame, scale_id: str) -> str:
    """'5-point scale: from <lowest> to <highest>' as Table 1 prints it."""
    if not scale_id:
        return "N/A"
    s = scales[scales["scale_id"] == scale_id].sort_values("code")
    return f"{len(s)}-point scale: from {s['label'].iloc[0]} to {s['label'].iloc[-1]}"
