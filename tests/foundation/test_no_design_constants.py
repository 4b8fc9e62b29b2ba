"""No study-specific id is written into the analysis code or the workflow.

The ids of both shipped designs (the paper study's instrument tables and the
follow-up example's) are collected from their CSV files, and every string
literal of src/downstream_safety/ and workflow/ is compared with them. Only
the reconstructed-data generators (src/reconstruction/) may name them.
"""

from __future__ import annotations

import ast
import csv
import io
import re
import tokenize
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DESIGNS = [REPO / "data/raw/instruments", REPO / "examples/followup/data/raw/instruments"]
ID_COLUMNS = {
    "research_questions.csv": ["rq"],
    "codebook_themes.csv": ["theme_id"],
    "codebook_subthemes.csv": ["subtheme_id"],
    "survey_items.csv": ["item_id"],
    "survey_contexts.csv": ["context_id"],
    "survey_blocks.csv": ["block", "figure"],
    "survey_scales.csv": ["scale_id"],
    "survey_demographics.csv": ["question_id"],
    "participant_fields.csv": ["field_id"],
}
# Ids of a design that are also names of the package's own things, so a literal
# equal to them is not evidence of a hard-coded design: "data" is a context of
# the paper study and the data folder; "reliability" is a subtheme and a stage;
# "agreement" is a survey block and the incident stage's inter-annotator agreement.
# "org_size" is a participant field of the paper study and the member count of a
# Hugging Face organisation in the recruitment tables; "channel" is a participant
# field and the recruitment stage's own subject (which channel brought a participant).
GENERIC = {"data", "reliability", "agreement", "org_size", "channel"}
# Naming conventions of the paper's item ids.
ITEM_PREFIXES = re.compile(r"^(imp|freq|agr)_")


def design_ids() -> set[str]:
    ids: set[str] = set()
    for folder in DESIGNS:
        for name, cols in ID_COLUMNS.items():
            with (folder / name).open(newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    ids.update(row[c] for c in cols if row[c])
    return ids - GENERIC


def string_literals(path: Path) -> list[tuple[int, str]]:
    """(line, value) of every string literal (f-string parts included), docstrings aside."""
    text = path.read_text(encoding="utf-8")
    out = []
    if path.suffix == ".py":
        tree = ast.parse(text)
        docstrings = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
                if isinstance(body[0].value, ast.Constant):
                    docstrings.add(id(body[0].value))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in docstrings:
                    out.append((node.lineno, node.value))
        return out
    # .smk files are Python with extra keywords: tokenize is enough for strings.
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.STRING:
            try:
                value = ast.literal_eval(tok.string)
            except (ValueError, SyntaxError):
                value = tok.string
            if isinstance(value, str):
                out.append((tok.start[0], value))
    return out


def code_files() -> list[Path]:
    files = sorted((REPO / "src/downstream_safety").rglob("*.py"))
    files += sorted((REPO / "workflow").rglob("*.py"))
    files += sorted((REPO / "workflow").rglob("*.smk")) + [REPO / "Snakefile"]
    return files


def test_the_designs_have_ids():
    ids = design_ids()
    assert {"RQ1", "behaviour", "imp_reliability", "prototype", "agreement7"} <= ids


@pytest.mark.parametrize("path", code_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_design_id_in_code(path):
    ids = design_ids()
    found = []
    for line, value in string_literals(path):
        if value in ids or ITEM_PREFIXES.match(value):
            found.append(f"line {line}: {value!r}")
    assert not found, "study-specific ids in code:\n" + "\n".join(found)
