"""Table 3: per subtheme, interview participants, survey score and incidents.

The survey score of a concern or challenge is the mean answer of its one
item; a practice was asked once per concern context (C1 data, C2 model
behaviour, C3 misuse), and its score is the unweighted mean of the three
context means. Cells the paper leaves as "---" (subthemes not surveyed, or
not annotated in the incidents) stay empty.
"""

from __future__ import annotations

import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.instruments.load import Codebook
from downstream_safety.paper.precision import render
from downstream_safety.paper.render import latex_escape

RQ_LABELS = {"RQ1": "Concerns", "RQ2": "Practices", "RQ3": "Challenges"}


def pick_wave(item_summary: pd.DataFrame, wave: str = "all") -> pd.DataFrame:
    """Rows of ``wave``; a single-wave summary without pooled rows uses its one wave."""
    waves = sorted(item_summary["wave"].unique())
    if wave not in waves:
        if len(waves) == 1:
            wave = waves[0]
        else:
            raise InputError(
                "data/processed/survey/item_summary.csv",
                f"no rows for wave {wave!r}",
                column="wave",
                values=waves,
                fix="write pooled rows with wave 'all'",
            )
    return item_summary[item_summary["wave"] == wave]


def survey_scores(items: pd.DataFrame, item_summary: pd.DataFrame) -> pd.Series:
    """subtheme_id -> score (single-item mean, or mean of the context means)."""
    means = item_summary.set_index("item_id")["mean"]
    merged = items[["item_id", "subtheme_id"]].assign(mean=items["item_id"].map(means))
    merged = merged.dropna(subset=["mean"])
    return merged.groupby("subtheme_id", sort=True)["mean"].mean()


def build_table3(
    codebook: Codebook,
    participants: pd.DataFrame,
    items: pd.DataFrame,
    item_summary: pd.DataFrame,
    incident_counts: pd.DataFrame,
) -> pd.DataFrame:
    subs = codebook.subthemes
    n_part = participants.set_index("subtheme_id")["n_participants"]
    scores = survey_scores(items, item_summary)
    n_inc = incident_counts.set_index("subtheme_id")["n_incidents"]
    table = pd.DataFrame(
        {
            "rq": subs["rq"],
            "theme_id": subs["theme_id"],
            "subtheme_id": subs["subtheme_id"],
            "subtheme": subs["subtheme_name"],
            "n_participants": subs["subtheme_id"].map(n_part).astype("Int64"),
            "survey_score": subs["subtheme_id"].map(scores).astype(float),
            "n_incidents": subs["subtheme_id"].map(n_inc).astype("Int64"),
        }
    )
    return table.reset_index(drop=True)


def display_table3(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The paper's layout: RQ and theme named on their first row, '---' for empty cells."""
    theme_names = codebook.themes.set_index("theme_id")["theme_name"]

    def first_only(col: pd.Series) -> list[str]:
        return [v if i == 0 or col.iloc[i - 1] != v else "" for i, v in enumerate(col)]

    def dash(values, fmt) -> list[str]:
        return ["---" if pd.isna(v) else fmt(v) for v in values]

    return pd.DataFrame(
        {
            "RQ": first_only(table["rq"].map(RQ_LABELS)),
            "Theme": first_only(table["theme_id"].map(theme_names)),
            "Subtheme": table["subtheme"],
            "# Participants": dash(table["n_participants"], lambda v: str(int(v))),
            "Survey score": dash(table["survey_score"], lambda v: render(v, 2)),
            "# AI incidents": dash(table["n_incidents"], lambda v: str(int(v))),
        }
    )


def table3_note(claims: pd.DataFrame, names: dict[str, str] | None = None) -> str:
    """Definition of the score, plus the cells the claims registry marks as swapped."""
    names = names or {}
    swapped = claims[
        claims["claim_id"].str.startswith("T3_survey__")
        & claims["note"].str.contains("swapped", case=False)
    ]
    parts = [
        "Survey score: mean answer of the subtheme's item (concerns: 5-point importance; "
        "challenges: 5-point agreement); for a practice, the unweighted mean of its three "
        "context means (C1 data, C2 model behaviour, C3 misuse; 4-point frequency). "
        "'---': not surveyed, or not an incident label."
    ]
    if not swapped.empty:
        cells = ", ".join(
            f"{names.get(cid.split('__', 1)[1], cid.split('__', 1)[1])} (printed {pub})"
            for cid, pub in zip(swapped["claim_id"], swapped["published"], strict=True)
        )
        parts.append(
            f"The published table very likely swaps two practice cells: {cells}; "
            "the context means given in the paper's text imply each other's value. "
            "These printed values are the only published values in this table, read from "
            "data/raw/published/claims.csv; every cell is computed."
        )
    return " ".join(parts)


def table3_latex(shown: pd.DataFrame, *, caption: str, label: str, note: str) -> str:
    """LaTeX with each theme as a group row above its subthemes.

    The paper spans theme names over their rows with multirow; a group row
    needs only core LaTeX and keeps the 34 rows on one page.
    """
    ragged = r">{\raggedright\arraybackslash}"
    spec = rf"{ragged}p{{0.11\linewidth}}{ragged}p{{0.45\linewidth}}rrr"
    header = ["RQ", "Theme / subtheme", *shown.columns[3:]]
    out = [
        r"\begin{table}[p]",
        r"\centering",
        r"\footnotesize\setlength{\tabcolsep}{3pt}",
        rf"\caption{{{latex_escape(caption)}}}",
        rf"\label{{{label}}}",
        rf"\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        " & ".join(latex_escape(c) for c in header) + r" \\",
    ]
    for row in shown.itertuples(index=False):
        cells = [latex_escape(v) for v in row]
        if cells[0]:
            out.append(r"\midrule")
        if cells[1]:
            rq = rf"\textbf{{{cells[0]}}}" if cells[0] else ""
            out.append(rf"{rq} & \multicolumn{{4}}{{l}}{{\textit{{{cells[1]}}}}} \\")
        out.append(" & ".join(["", r"\quad " + cells[2], *cells[3:]]) + r" \\")
    out += [r"\bottomrule", r"\end{tabular}"]
    out += [rf"\par\smallskip\footnotesize {latex_escape(note)}", r"\end{table}"]
    return "\n".join(out) + "\n"
