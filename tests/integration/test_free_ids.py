"""Free-form research-question ids through the whole workflow: the example
follow-up study with its RQ ids renamed to RQ-A, RQ-B, Q.3 and Rq4 (hyphen,
capitals, dot, digits) runs, and its numbers carry the keys the documented
rule gives (docs/adapting.md, "Number keys")."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from tests.integration.study_folder import run_snakemake

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "followup"
RENAME = {"RQ1": "RQ-A", "RQ2": "RQ-B", "RQ3": "Q.3", "RQ4": "Rq4"}
PARTS = {"RQ-A": "rq_a", "RQ-B": "rq_b", "Q.3": "q_3", "Rq4": "rq4"}  # by hand

pytestmark = pytest.mark.slow


def _rename(folder: Path) -> None:
    for path in [folder / "config.yaml", *folder.rglob("*.csv")]:
        text = path.read_text(encoding="utf-8")
        for old, new in RENAME.items():
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")


def test_free_form_rq_ids_run_and_give_rule_keys(tmp_path):
    dest = tmp_path / "followup"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns(
        "processed", "paper", "logs", ".snakemake", "notebooks"))  # fmt: skip
    _rename(dest)
    rqs = [r["rq"] for r in csv.DictReader((dest / "data/raw/instruments/research_questions.csv")
                                            .open(encoding="utf-8"))]  # fmt: skip
    assert rqs == list(RENAME.values())
    snakefile = dest / "Snakefile"
    snakefile.write_text(
        snakefile.read_text().replace('"../../Snakefile"', repr(str(REPO / "Snakefile")))
    )
    run_snakemake(dest, "--cores", "2")
    with (dest / "data/processed/interviews/numbers.csv").open(encoding="utf-8") as fh:
        keys = {r["key"] for r in csv.DictReader(fh)}
    for rq, p in PARTS.items():
        assert f"codes__{p}" in keys, rq
        assert f"saturation_guest2006__{p}" in keys, rq


# Every other kind of id, free-form, on the new-study template (small and quick):
# themes, subthemes, items, contexts and participant fields with capitals, '.', '-'
# and digits. The parts are written by hand from the documented rule.
THEMES = {"checking": "Check-1", "failures": "Fail.2"}
SUBS = {"unit_tests": "Unit-Tests", "eval_sets": "eval.sets", "data_drift": "Data-Drift",
        "silent_errors": "Silent.Errors2"}  # fmt: skip
ITEMS = {"pr_unit_tests_research": "PR-1.R", "pr_unit_tests_production": "PR-1.P",
         "pr_eval_sets_research": "PR-2.R", "pr_eval_sets_production": "PR-2.P",
         "fl_data_drift": "FL.1", "fl_silent_errors": "FL-2"}  # fmt: skip
CTX = {"research": "Res-Code", "production": "Prod.2"}
FIELDS = {"ml_years": "ML-Years", "role": "Role.1"}
WANT_KEYS = [
    "participants__unit_tests",
    "participants__silent_errors2",
    "participants_theme__check_1",
    "incidents__data_drift",
    "mean__pr_1_r",
    "mean__fl_2",
    "p__unit_tests__prod_2__res_code",
    "p__eval_sets__prod_2__res_code",
    "ml_years__mean",
]


def _edit(path: Path, cells: dict[str, dict[str, str]], header: dict[str, str] | None = None):
    """Rename whole cells (and ';'-separated label lists) of the named columns."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    for r in rows[1:]:
        for col, m in cells.items():
            i = head.index(col)
            r[i] = ";".join(m.get(v, v) for v in r[i].split(";")) if r[i] else r[i]
    if header:
        rows[0] = [header.get(h, h) for h in head]
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_free_form_theme_subtheme_item_context_and_field_ids_run(tmp_path):
    from downstream_safety.scaffold.new_study import write_study

    dest = tmp_path / "study"
    write_study(dest, REPO)
    raw, ins = dest / "data" / "raw", dest / "data" / "raw" / "instruments"
    _edit(ins / "codebook_themes.csv", {"theme_id": THEMES})
    _edit(ins / "codebook_subthemes.csv", {"theme_id": THEMES, "subtheme_id": SUBS})
    _edit(ins / "survey_items.csv", {"item_id": ITEMS, "subtheme_id": SUBS, "context": CTX})
    _edit(ins / "survey_contexts.csv", {"context_id": CTX})
    _edit(ins / "participant_fields.csv", {"field_id": FIELDS})
    _edit(raw / "survey" / "wave1.csv", {}, ITEMS)
    _edit(raw / "interviews" / "participants.csv", {}, FIELDS)
    for name in ("codes.csv", "coded_segments.csv"):
        _edit(raw / "interviews" / name, {"subtheme_id": SUBS})
    for name, col in [
        ("annotations.csv", "labels"),
        ("adjudicated.csv", "labels"),
        ("mit_crosswalk.csv", "subtheme_ids"),
        ("keyword_rules.csv", "subtheme_id"),
    ]:
        _edit(raw / "incidents" / name, {col: SUBS})  # fmt: skip
    run_snakemake(dest, "--cores", "2")
    keys = set()
    for f in sorted((dest / "data" / "processed").glob("*/numbers.csv")):
        with f.open(encoding="utf-8") as fh:
            keys |= {r["key"] for r in csv.DictReader(fh)}
    assert set(WANT_KEYS) <= keys, sorted(set(WANT_KEYS) - keys)
    with (dest / "data/processed/survey/practice_tests.csv").open(encoding="utf-8") as fh:
        tests = list(csv.DictReader(fh))
    assert {(r["practice"], r["concern_a"], r["concern_b"]) for r in tests} == {
        ("Unit-Tests", "Prod.2", "Res-Code"),
        ("eval.sets", "Prod.2", "Res-Code"),
    }
