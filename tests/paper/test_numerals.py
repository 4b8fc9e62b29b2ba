"""The numeral checker: stray numerals fail, the allow-list and macros pass."""

from __future__ import annotations

from pathlib import Path

from downstream_safety.paper.numerals import check, strays
from downstream_safety.paths import PAPER

HEAD = "\\documentclass[11pt]{article}\n\\setlength{\\parskip}{2pt}\n\\begin{document}\n"
TAIL = "\\end{document}\n"


def _body(text: str) -> str:
    return HEAD + text + TAIL


def test_hand_typed_number_is_found_with_its_line():
    found = strays(_body("We interviewed \\NumNParticipants{} people.\nOf them, 13 attended.\n"))
    assert [(s.line, s.numeral) for s in found] == [(5, "13")]


def test_decimals_and_percent_are_found():
    found = strays(_body("a mean of 4.26 and 85\\,\\% agreement\n"))
    assert [s.numeral for s in found] == ["4.26", "85"]


def test_allow_list_and_non_prose_arguments():
    text = _body(
        "Gao et al.\\ (arXiv 2503.19444, v2) in 2025 ask RQ1 to RQ3 about C2 vs C1 (§3.2).\n"
        "See Figure~\\ref{fig:figure3_importance} and \\cite{gao2025}.\n"
        "\\MaybeFigure{figure4_practices}{Practices by context.}\n"
        "\\includegraphics[width=0.5\\linewidth]{figures/figure1_study_design}\n"
        "% a comment with 42 in it\n"
        "A macro \\NumFunnelContacted{} and 5\\% of them % 7 is hidden\n"
    )
    assert [s.numeral for s in strays(text)] == ["5"]


def test_caption_numbers_are_checked():
    text = _body("\\MaybeFigure{figure3_importance}{Importance of 8 concerns.}\n")
    assert [s.numeral for s in strays(text)] == ["8"]


def test_preamble_is_not_checked():
    assert strays("\\documentclass[11pt]{article}\n\\begin{document}\nok\n\\end{document}\n") == []


def test_undefined_macro_is_reported(tmp_path: Path):
    tex = tmp_path / "main.tex"
    tex.write_text(_body("\\NumDefined{} and \\NumMissing{}\n"))
    numbers = tmp_path / "numbers.tex"
    numbers.write_text("\\newcommand{\\NumDefined}{1}\n")
    problems = check(tex, numbers)
    assert len(problems) == 1 and "NumMissing" in problems[0]


def test_the_manuscript_has_no_hand_typed_numbers():
    assert strays((PAPER / "main.tex").read_text(encoding="utf-8")) == []
