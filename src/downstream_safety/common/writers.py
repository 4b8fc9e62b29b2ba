"""Generic table writers: one DataFrame as CSV, Markdown and LaTeX.

Written by hand rather than with ``DataFrame.to_markdown``/``Styler.to_latex``
because those need optional dependencies (tabulate, jinja2 templates) whose
output changes between versions; these few lines give byte-stable output and
booktabs LaTeX with proper escaping.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from downstream_safety.common.tableio import atomic_write_text, to_csv_text

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: object) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def _cells(df: pd.DataFrame) -> list[list[str]]:
    return [["" if pd.isna(v) else str(v) for v in row] for row in df.itertuples(index=False)]


def to_markdown(df: pd.DataFrame, *, caption: str | None = None, note: str | None = None) -> str:
    header = [str(c) for c in df.columns]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]
    lines = []
    if caption:
        lines += [f"**{caption}**", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
    for row in _cells(df):
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def to_latex(
    df: pd.DataFrame,
    *,
    caption: str | None = None,
    label: str | None = None,
    note: str | None = None,
    colspec: str | None = None,
    size: str = r"\small",
) -> str:
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]
    spec = colspec or "".join("r" if n else "l" for n in numeric)
    out = [r"\begin{table}[htbp]", r"\centering", size]
    if caption:
        out.append(rf"\caption{{{latex_escape(caption)}}}")
    if label:
        out.append(rf"\label{{{label}}}")
    out += [rf"\begin{{tabular}}{{{spec}}}", r"\toprule"]
    out.append(" & ".join(latex_escape(c) for c in df.columns) + r" \\")
    out.append(r"\midrule")
    for row in _cells(df):
        out.append(" & ".join(latex_escape(c) for c in row) + r" \\")
    out += [r"\bottomrule", r"\end{tabular}"]
    if note:
        out.append(rf"\par\smallskip\footnotesize {latex_escape(note)}")
    out.append(r"\end{table}")
    return "\n".join(out) + "\n"


def write_table_formats(
    df: pd.DataFrame,
    csv_path: Path | str,
    md_path: Path | str,
    tex_path: Path | str,
    *,
    display: pd.DataFrame | None = None,
    caption: str | None = None,
    label: str | None = None,
    note: str | None = None,
    colspec: str | None = None,
    size: str = r"\small",
) -> None:
    """CSV keeps machine column names; Markdown/LaTeX use ``display`` if given."""
    shown = df if display is None else display
    atomic_write_text(csv_path, to_csv_text(df))
    atomic_write_text(md_path, to_markdown(shown, caption=caption, note=note))
    atomic_write_text(
        tex_path,
        to_latex(shown, caption=caption, label=label, note=note, colspec=colspec, size=size),
    )
