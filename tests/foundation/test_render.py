"""Table rendering: escaping and layout checked by hand."""

from __future__ import annotations

import pandas as pd

from downstream_safety.common.writers import latex_escape, to_latex, to_markdown


def test_latex_escape():
    assert latex_escape("50% & #1_a") == r"50\% \& \#1\_a"


def test_markdown_layout():
    df = pd.DataFrame({"a": ["x|y"], "n": [3]})
    assert to_markdown(df) == "| a | n |\n|---|---:|\n| x\\|y | 3 |\n"


def test_latex_layout():
    df = pd.DataFrame({"a": ["x"], "n": [3]})
    tex = to_latex(df, caption="C", label="tab:x")
    assert r"\begin{tabular}{lr}" in tex
    assert "x & 3 \\\\" in tex
    assert r"\caption{C}" in tex and r"\label{tab:x}" in tex
