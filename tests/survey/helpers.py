"""Small hand-made survey waves and study designs for the tests."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import yaml

from downstream_safety.instruments.design import (
    Design,
    design_settings,
    design_tables,
    load_design,
)
from downstream_safety.paths import ROOT

IMP = ["Not important at all", "Slightly important", "Moderately important",
       "Very important", "Extremely important"]  # fmt: skip
FREQ = ["I don't do this at all", "I do this occasionally", "I do this frequently",
        "I prioritise this as a critical task"]  # fmt: skip
AGR = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
LABELS = {"importance": IMP, "frequency": FREQ, "agreement": AGR}


@functools.cache
def paper_design() -> Design:
    """The shipped study's design: instrument tables plus the default config."""
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))
    return load_design(design_tables(ROOT / "data/raw/instruments"), design_settings(config))


def wave_frame(codes: list[dict[str, int]], *, prefix: str = "R", **base) -> pd.DataFrame:
    """One row per dict of item codes (0 = 'I do not know'); other items answer level 3.

    Base columns default to a valid respondent; keyword lists override per row.
    """
    design = paper_design()
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
        for item in design.items.itertuples():
            code = c.get(item.item_id, 3)
            row[item.item_id] = "I do not know" if code == 0 else LABELS[item.block][code - 1]
        rows.append(row)
    return pd.DataFrame(rows)


def write_wave(df: pd.DataFrame, path: Path, **kw) -> Path:
    df.to_csv(path, index=False, lineterminator=kw.pop("lineterminator", "\n"), **kw)
    return path


# A tiny follow-up study ----------------------------------------------------------

AGREE7 = ["Strongly disagree", "Disagree", "Somewhat disagree", "Neither",
          "Somewhat agree", "Agree", "Strongly agree"]  # fmt: skip
OFTEN3 = ["Never", "Sometimes", "Always"]
# Free-form context ids whose sorted order differs from their display order.
CONTEXTS = [("zeta", "Z context"), ("alpha", "A context"), ("mid", "M context")]
ROLE = ("role", "Current role", ["Engineer", "Researcher", "Manager"])


def _csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False, lineterminator="\n")


def tiny_design(
    folder: Path,
    *,
    n_contexts: int = 3,
    screening: list[dict] | None = None,
    screening_columns: dict | None = None,
) -> Design:
    """A study with one 7-point importance item, one practice asked in the first
    ``n_contexts`` contexts on a 3-level scale, and one demographic question."""
    folder.mkdir(parents=True, exist_ok=True)
    _csv(folder / "research_questions.csv",
         [{"rq": "Q-a", "rq_order": 1, "rq_label": "Concerns"},
          {"rq": "Q-b", "rq_order": 2, "rq_label": "Practices"}],
         ["rq", "rq_order", "rq_label"])  # fmt: skip
    _csv(folder / "codebook_themes.csv",
         [{"rq": "Q-a", "theme_id": "t1", "theme_name": "Theme 1", "theme_order": 1},
          {"rq": "Q-b", "theme_id": "t2", "theme_name": "Theme 2", "theme_order": 2}],
         ["rq", "theme_id", "theme_name", "theme_order"])  # fmt: skip
    _csv(folder / "codebook_subthemes.csv",
         [{"rq": "Q-a", "theme_id": "t1", "subtheme_id": "risk1", "subtheme_name": "Risk one",
           "short_label": "Risk 1", "subtheme_order": 1},
          {"rq": "Q-b", "theme_id": "t2", "subtheme_id": "habit2", "subtheme_name": "Habit two",
           "short_label": "Habit 2", "subtheme_order": 2}],
         ["rq", "theme_id", "subtheme_id", "subtheme_name", "short_label",
          "subtheme_order"])  # fmt: skip
    _csv(folder / "survey_blocks.csv",
         [{"block": "concerns", "block_order": 1, "figure": "fig_concerns",
           "figure_title": "How important"},
          {"block": "habits", "block_order": 2, "figure": "fig_habits",
           "figure_title": "How often"}],
         ["block", "block_order", "figure", "figure_title"])  # fmt: skip
    scales = [{"scale_id": "agree7", "code": i, "label": x} for i, x in enumerate(AGREE7, 1)]
    scales += [{"scale_id": "often3", "code": i, "label": x} for i, x in enumerate(OFTEN3, 1)]
    _csv(folder / "survey_scales.csv", scales, ["scale_id", "code", "label"])
    _csv(folder / "survey_missing_labels.csv",
         [{"label": "", "meaning": "no answer"}, {"label": "No idea", "meaning": "unknown"}],
         ["label", "meaning"])  # fmt: skip
    contexts = CONTEXTS[:n_contexts]
    items = [{"item_id": "q_risk1", "block": "concerns", "subtheme_id": "risk1", "context": "",
              "scale_id": "agree7", "statement": "Risk one matters"}]  # fmt: skip
    for cid, _ in contexts:
        items.append({"item_id": f"q_habit2_{cid}", "block": "habits", "subtheme_id": "habit2",
                      "context": cid, "scale_id": "often3",
                      "statement": f"Habit two ({cid})"})  # fmt: skip
    if not contexts:
        items.append({"item_id": "q_habit2", "block": "habits", "subtheme_id": "habit2",
                      "context": "", "scale_id": "often3", "statement": "Habit two"})  # fmt: skip
    for i, it in enumerate(items, 1):
        it["item_order"] = i
    _csv(folder / "survey_items.csv", items,
         ["item_order", "item_id", "block", "subtheme_id", "context", "scale_id",
          "statement"])  # fmt: skip
    _csv(folder / "survey_contexts.csv",
         [{"context_id": c, "context_label": lab, "context_order": i}
          for i, (c, lab) in enumerate(contexts, 1)],
         ["context_id", "context_label", "context_order"])  # fmt: skip
    qid, qlabel, options = ROLE
    _csv(folder / "survey_demographics.csv",
         [{"question_id": qid, "question_label": qlabel, "option_order": i, "option_label": o}
          for i, o in enumerate(options, 1)],
         ["question_id", "question_label", "option_order", "option_label"])  # fmt: skip
    _csv(folder / "participant_fields.csv", [],
         ["field_id", "kind", "table2_order", "table2_label", "summary_order", "summary_label",
          "option_order", "option_label"])  # fmt: skip
    settings = {
        "screening": screening
        if screening is not None
        else [{"id": "managers", "exclude_if_any": {"role": ["Manager"]}}],
        "screening_columns": screening_columns or {},
        "taxonomy_rq": None,
    }
    return load_design(design_tables(folder), settings)


def tiny_wave(design: Design, rows: list[dict]) -> pd.DataFrame:
    """Rows of {column: answer label or item code}; item codes become scale labels
    (0 = the missing label 'No idea')."""
    out = []
    for i, r in enumerate(rows, 1):
        row = {"respondent_id": f"T{i:02d}"}
        for col in design.respondent_columns:
            row[col] = r[col]
        for item_id in design.item_ids:
            code = r[item_id]
            row[item_id] = "No idea" if code == 0 else design.scale_of(item_id).labels[code - 1]
        out.append(row)
    return pd.DataFrame(out)
