"""Table 3: per subtheme, interview participants, survey score and incidents.

The survey score of a subtheme is the unweighted mean of the means of every
item that measures it: one item for most, one per concern context for the
practices asked in each context. Cells of subthemes not surveyed, not an
incident label, or of a strand the study does not run stay empty ("---").
"""

from __future__ import annotations

import pandas as pd

from downstream_safety.common.writers import latex_escape
from downstream_safety.instruments.design import Design
from downstream_safety.paper.precision import render
from downstream_safety.synthesis.scores import subtheme_means

NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def build_table3(
    design: Design,
    participants: pd.DataFrame | None,
    item_summary: pd.DataFrame | None,
    incident_counts: pd.DataFrame | None,
) -> pd.DataFrame:
    """``None`` for a strand the study does not run: its column stays empty."""
    subs = design.subthemes
    empty = pd.Series(dtype=float)
    n_part = (
        empty if participants is None else participants.set_index("subtheme_id")["n_participants"]
    )
    scores = empty if item_summary is None else subtheme_means(design, item_summary)
    n_inc = (
        empty
        if incident_counts is None
        else incident_counts.set_index("subtheme_id")["n_incidents"]
    )
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


STRANDS = ("interviews", "survey", "incidents")
# Per strand: its column of the table, the header shown and the caption's words.
COLUMNS = {
    "interviews": ("n_participants", "# Participants", "interview participants"),
    "survey": ("survey_score", "Survey score", "survey score"),
    "incidents": ("n_incidents", "# AI incidents", "AI incidents"),
}


def table3_caption(strands: tuple[str, ...] = STRANDS) -> str:
    """'Subthemes with interview participants, survey score and AI incidents',
    naming only the strands that run."""
    words = [COLUMNS[s][2] for s in STRANDS if s in strands]
    if not words:
        return "Subthemes"
    return "Subthemes with " + " and ".join(
        [", ".join(words[:-1]), words[-1]] if words[1:] else words
    )


def display_table3(
    table: pd.DataFrame, design: Design, strands: tuple[str, ...] = STRANDS
) -> pd.DataFrame:
    """The paper's layout: RQ and theme named on their first row, '---' for empty cells;
    a column only for each strand in ``strands`` (those the study runs)."""
    theme_names = design.themes.set_index("theme_id")["theme_name"]

    def first_only(col: pd.Series) -> list[str]:
        return [v if i == 0 or col.iloc[i - 1] != v else "" for i, v in enumerate(col)]

    def dash(values, fmt) -> list[str]:
        return ["---" if pd.isna(v) else fmt(v) for v in values]

    fmt = {"survey": lambda v: render(v, 2)}
    shown = {
        "RQ": first_only(table["rq"].map(design.rq_label)),
        "Theme": first_only(table["theme_id"].map(theme_names)),
        "Subtheme": table["subtheme"],
    }
    for strand in STRANDS:
        if strand in strands:
            column, header, _ = COLUMNS[strand]
            shown[header] = dash(table[column], fmt.get(strand, lambda v: str(int(v))))
    return pd.DataFrame(shown)


def _count(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def _scales(design: Design, items: pd.DataFrame) -> str:
    """'5-point importance' for the scales and blocks of ``items``."""
    seen = dict.fromkeys(
        f"{design.scales[s].n_levels}-point {b}"
        for s, b in zip(items["scale_id"], items["block"], strict=True)
    )
    return " or ".join(seen)


def score_definition(design: Design) -> str:
    """How the survey score of each research question's subthemes is computed,
    written from the instrument (scales, blocks, contexts)."""
    items = design.items
    contextual = items["context"] != ""
    single, per_context = [], []
    several = False
    for rq in design.rqs:
        mine = items["subtheme_id"].isin(design.subthemes_of(rq))
        plain, ctx = items[mine & ~contextual], items[mine & contextual]
        if len(plain):
            several |= bool(plain["subtheme_id"].duplicated().any())
            single.append(f"{design.rq_label(rq).lower()}: {_scales(design, plain)}")
        if len(ctx):
            noun = design.rq_label(rq).lower()
            noun = noun[:-1] if noun.endswith("s") else noun
            contexts = ", ".join(c.label for c in design.contexts)
            per_context.append(
                f"for a {noun}, the unweighted mean of its {_count(len(design.contexts))} "
                f"context means ({contexts}; {_scales(design, ctx)})"
            )
    what = (
        "the unweighted mean of the subtheme's item means"
        if several
        else ("mean answer of the subtheme's item")
    )
    parts = [f"{what} ({'; '.join(single)})"] if single else []
    parts += per_context
    return f"Survey score: {'; '.join(parts)}." if parts else ""


def table3_note(
    design: Design,
    claims: pd.DataFrame | None,
    names: dict[str, str] | None = None,
    source: str = "the claims registry",
    strands: tuple[str, ...] = STRANDS,
) -> str:
    """Definition of the score, plus the cells the claims registry marks as swapped.

    ``source`` names the registry file, so the note says exactly where the
    printed values it quotes are read; ``strands`` are those the study runs.
    """
    names = names or {}
    parts = [p for p in (score_definition(design),) if p and "survey" in strands]
    empty = [why for s, why in (("survey", "not surveyed"), ("incidents", "not an incident label"))
             if s in strands]  # fmt: skip
    if empty:
        parts.append(f"'---': {', or '.join(empty)}.")
    swapped = pd.DataFrame(columns=["claim_id", "published"])
    if claims is not None:
        swapped = claims[
            claims["claim_id"].str.startswith("T3_survey__")
            & claims["note"].str.contains("swapped", case=False)
        ]
    if not swapped.empty:
        cells = ", ".join(
            f"{names.get(cid.split('__', 1)[1], cid.split('__', 1)[1])} (printed {pub})"
            for cid, pub in zip(swapped["claim_id"], swapped["published"], strict=True)
        )
        parts.append(
            f"The published table very likely swaps two practice cells: {cells}; "
            "the context means given in the paper's text imply each other's value. "
            f"These printed values are the only published values in this table, read from "
            f"{source}; every cell is computed."
        )
    return " ".join(parts)


def table3_latex(shown: pd.DataFrame, *, caption: str, label: str, note: str) -> str:
    """LaTeX with each theme as a group row above its subthemes.

    The paper spans theme names over their rows with multirow; a group row
    needs only core LaTeX and keeps a long table on one page.
    """
    ragged = r">{\raggedright\arraybackslash}"
    numeric = len(shown.columns) - 3  # the strands' columns after RQ, theme, subtheme
    spec = rf"{ragged}p{{0.11\linewidth}}{ragged}p{{0.45\linewidth}}" + "r" * numeric
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
            out.append(rf"{rq} & \multicolumn{{{numeric + 1}}}{{l}}{{\textit{{{cells[1]}}}}} \\")
        out.append(" & ".join(["", r"\quad " + cells[2], *cells[3:]]) + r" \\")
    out += [r"\bottomrule", r"\end{tabular}"]
    out += [rf"\par\smallskip\footnotesize {latex_escape(note)}", r"\end{table}"]
    return "\n".join(out) + "\n"
