"""Table 2 (participant demographics) and the counts derived from it."""

from __future__ import annotations

import pandas as pd

from downstream_safety.instruments.design import Design
from downstream_safety.instruments.participant_fields import in_table2, summarised


def _headers(design: Design) -> dict[str, str]:
    """Table 2's columns and headers: the participant, then the fields by table2_order."""
    return {"participant_id": "ID"} | {
        f.field_id: str(f.table2_label) for f in in_table2(design.participant_fields)
    }


def build_table2(participants: pd.DataFrame, design: Design) -> pd.DataFrame:
    """Rows in participant-number order, as the paper prints them."""
    p = participants.copy()
    p["_n"] = p["participant_id"].str[1:].astype(int)
    p = p.sort_values("_n")
    return p[list(_headers(design))].reset_index(drop=True)


def display_table2(table2: pd.DataFrame, design: Design) -> pd.DataFrame:
    return table2.rename(columns=_headers(design))


def domains(domain: str) -> list[str]:
    return [d.strip() for d in domain.split(",") if d.strip()]


def demographics(participants: pd.DataFrame, design: Design) -> pd.DataFrame:
    """Counts and shares per level of each summarised field, in summary_order.

    A choice field lists its options in option order (empty ones as 0) then any other
    answer; a list field gives each combination (``<field>``) and each label involved
    (``<field>_any``)."""
    n = len(participants)
    rows = []

    def add(variable: str, counts: dict[str, int]) -> None:
        for level, k in counts.items():
            rows.append(
                {
                    "variable": variable,
                    "level": level,
                    "n": int(k),
                    "pct": 100.0 * k / n if n else 0.0,
                }
            )

    def tally(col: str, levels: list[str]) -> dict[str, int]:
        vc = participants[col].value_counts()
        extra = sorted(set(vc.index) - set(levels))
        return {lv: int(vc.get(lv, 0)) for lv in [*levels, *extra]}

    for f in summarised(design.participant_fields):
        col = participants[f.field_id]
        if f.kind == "choice":
            add(f.field_id, tally(f.field_id, list(f.options)))
            continue
        vc = col.map(lambda d: ", ".join(sorted(domains(d)))).value_counts()
        add(f.field_id, {lv: int(vc[lv]) for lv in sorted(vc.index)})
        every = sorted({d for v in col for d in domains(v)})
        add(f"{f.field_id}_any", {d: int(sum(d in domains(v) for v in col)) for d in every})
    return pd.DataFrame(rows, columns=["variable", "level", "n", "pct"])


def display_demographics(demo: pd.DataFrame, design: Design) -> pd.DataFrame:
    names = {}
    for f in summarised(design.participant_fields):
        if f.kind == "list":
            names[f.field_id] = f"{f.summary_label} (combination)"
            names[f"{f.field_id}_any"] = f"{f.summary_label} (involved)"
        else:
            names[f.field_id] = str(f.summary_label)
    return pd.DataFrame(
        {
            "Variable": demo["variable"].map(names).fillna(demo["variable"]),
            "Level": demo["level"].str.replace("_", " "),
            "n": demo["n"],
            "%": demo["pct"].map(lambda x: f"{x:.1f}"),
        }
    )
