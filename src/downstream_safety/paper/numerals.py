"""Fail when the manuscript holds a numeral that does not come from a macro.

Every number of the replication report must come from ``paper/numbers.tex``;
a digit typed by hand in the body is an error unless it matches an entry of
the explicit allow-list below (years, section/figure numbers in
cross-references, identifiers). Usage::

    python -m downstream_safety.paper.numerals paper/main.tex [paper/numbers.tex]
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

# Allowed numerals, each with the reason it is not a result.
ALLOW: dict[str, str] = {
    r"\b(19|20)[0-9]{2}[a-z]?\b": "a year (publication or access date)",
    r"\bRQ[1-9]\b": "name of a research question",
    r"\bC[1-3]\b": "name of a concern context (C1, C2, C3)",
    r"\b[0-9]{4}\.[0-9]{4,5}(v[0-9]+)?\b": "an arXiv identifier",
    r"§\s*[0-9]+(\.[0-9]+)*": "a section number of the original paper",
    r"\b(Table|Figure|Section|Sec\.|Fig\.)~?[0-9]+(\.[0-9]+)*\b": "a table, figure or section name",
    r"\bv[0-9]\b": "a paper version (v2, v3)",
}

# Constructs whose first argument is not prose (a label, a reference, a file
# name, an environment name): that argument is dropped, later ones (such as a
# figure caption) are still checked.
_ARG_COMMANDS = (
    "label|ref|eqref|cref|Cref|autoref|pageref|cite[a-z]*|input|include|url|href"
    "|includegraphics|MaybeFigure|MaybeTable|begin|end|bibliography|bibliographystyle"
)
_STRIP = [
    r"%.*$",  # comments (escaped percent signs are removed first)
    rf"\\({_ARG_COMMANDS})\*?(\[[^\]]*\])*\{{[^{{}}]*\}}",
    r"\\[a-zA-Z]+",  # macro names (letters only)
]


@dataclass(frozen=True)
class Stray:
    line: int
    numeral: str
    context: str


def body_lines(text: str) -> list[tuple[int, str]]:
    """Lines between \\begin{document} and \\end{document} (the preamble has sizes)."""
    lines = text.split("\n")
    start = next((i for i, s in enumerate(lines) if r"\begin{document}" in s), -1)
    end = next((i for i, s in enumerate(lines) if r"\end{document}" in s), len(lines))
    return [(i + 1, lines[i]) for i in range(start + 1, end)]


def strays(text: str) -> list[Stray]:
    found = []
    for lineno, line in body_lines(text):
        s = line.replace(r"\%", "")
        for pattern in _STRIP:
            s = re.sub(pattern, " ", s)
        for pattern in ALLOW:
            s = re.sub(pattern, " ", s)
        for m in re.finditer(r"[0-9]+([.,][0-9]+)*", s):
            found.append(Stray(lineno, m.group(0), line.strip()))
    return found


def used_macros(text: str) -> set[str]:
    return set(re.findall(r"\\(Num[A-Za-z]+)", text))


def defined_macros(numbers_tex: str) -> set[str]:
    return set(re.findall(r"\\newcommand\{\\(Num[A-Za-z]+)\}", numbers_tex))


def undefined_macros(text: str, numbers_tex: str) -> list[str]:
    return sorted(used_macros(text) - defined_macros(numbers_tex))


def check(manuscript: Path, numbers: Path | None = None) -> list[str]:
    """Problems found (empty when the manuscript is clean)."""
    text = manuscript.read_text(encoding="utf-8")
    problems = [
        f"{manuscript}:{s.line}: numeral '{s.numeral}' outside a macro: {s.context}"
        for s in strays(text)
    ]
    if numbers is not None:
        undefined = undefined_macros(text, numbers.read_text("utf-8"))
        problems += [f"{manuscript}: \\{m} is used but not defined in {numbers}" for m in undefined]
    return problems


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    problems = check(Path(argv[0]), Path(argv[1]) if len(argv) > 1 else None)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
