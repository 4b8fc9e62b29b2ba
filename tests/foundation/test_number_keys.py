"""Number keys from free-form ids: the documented rule, its refusals at parse time,
and a property test over generated designs (Hypothesis)."""

from __future__ import annotations

import re
import string
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from downstream_safety.common.errors import InputError
from downstream_safety.common.number_keys import key, part
from downstream_safety.common.numbers import NUMBERS, numbers_frame
from downstream_safety.instruments.design import design_tables, load_design
from downstream_safety.instruments.schemas import ID, RQ_ID
from tests.survey.helpers import paper_design, tiny_design

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEEP = set(string.ascii_lowercase + string.digits + "_")


def rule(text: str) -> str:
    """The rule as docs/adapting.md states it, written as a loop over characters
    (independent of the regular expression in common.number_keys)."""
    out, in_run = [], False
    for ch in text.lower().replace("+", " plus "):
        if ch in KEEP:
            out.append(ch)
            in_run = False
        elif not in_run:
            out.append("_")
            in_run = True
    return "".join(out).strip("_")


def test_rule_by_hand():
    assert part("RQ-A") == "rq_a"
    assert part("Q.1") == "q_1"
    assert part("25+") == "25_plus"
    assert part("CV, NLP") == "cv_nlp"
    assert part("More than 25") == "more_than_25"
    assert part("freq_user_feedback__data") == "freq_user_feedback__data"
    assert key("codes", "RQ-A") == "codes__rq_a"
    assert key("p", "eval_dataset", "behaviour", "data") == "p__eval_dataset__behaviour__data"
    with pytest.raises(ValueError, match="bug in the package"):
        key("demo_n", "q", "---")


def test_the_paper_studys_keys_are_its_ids():
    """Every id of the shipped design is already a key part, so its keys (and the
    manuscript's macros) do not change."""
    design = paper_design()
    ids = [*design.rqs, *design.themes["theme_id"], *design.subthemes["subtheme_id"],
           *design.item_ids, *design.context_ids, *design.block_ids]  # fmt: skip
    assert [part(i) for i in ids] == [i.lower() for i in ids]


@given(st.text(max_size=20))
@FAST
def test_part_follows_the_documented_rule(text):
    p = part(text)
    assert p == rule(text)
    assert re.fullmatch(r"([a-z0-9]([a-z0-9_]*[a-z0-9])?)?", p)
    assert part(p) == p  # a part is its own part


def _rewrite(folder: Path, rqs: list[str], options: list[str]) -> None:
    """tiny_design's tables with the generated research questions and answer options."""
    rq = pd.read_csv(folder / "research_questions.csv", dtype=str, keep_default_na=False)
    rows = [{"rq": r, "rq_order": i, "rq_label": f"RQ {i}"} for i, r in enumerate(rqs, 1)]
    pd.DataFrame(rows, columns=rq.columns).to_csv(
        folder / "research_questions.csv", index=False, lineterminator="\n"
    )
    for name in ("codebook_themes.csv", "codebook_subthemes.csv"):
        t = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        t["rq"] = rqs[0]
        t.to_csv(folder / name, index=False, lineterminator="\n")
    demo = [
        {"question_id": "role", "question_label": "Role", "option_order": i, "option_label": o}
        for i, o in enumerate(options, 1)
    ]
    pd.DataFrame(demo).to_csv(folder / "survey_demographics.csv", index=False, lineterminator="\n")


RQS = st.lists(st.from_regex(RQ_ID.replace("*", "{0,5}"), fullmatch=True), min_size=1,
               max_size=4, unique=True)  # fmt: skip
LABEL = st.text(string.ascii_letters + string.digits + " +-.,/()&_", min_size=1, max_size=8)
OPTIONS = st.lists(LABEL.map(str.strip).filter(bool), min_size=1, max_size=4, unique=True)


def _first_collision(ids: list[str]) -> tuple[str, str] | None:
    seen: dict[str, str] = {}
    for i in ids:
        p = rule(i)
        if not p:
            return (i, i)
        if p in seen:
            return (seen[p], i)
        seen[p] = i
    return None


@given(RQS, OPTIONS)
@FAST
def test_generated_designs_are_refused_or_give_distinct_keys(rqs, options):
    """A design whose ids of one kind give distinct parts loads, and every number key
    built from it is valid and unique; otherwise the parse-time check refuses it,
    naming both ids."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = tiny_design(folder, screening=[])
        assert base.rqs == ["Q-a", "Q-b"]
        _rewrite(folder, rqs, options)
        clash = _first_collision(rqs) or _first_collision(options)
        if clash is not None:
            with pytest.raises(InputError) as err:
                load_design(design_tables(folder), {"screening": []})
            assert f"'{clash[0]}'" in str(err.value) and f"'{clash[1]}'" in str(err.value)
            return
        design = load_design(design_tables(folder), {"screening": []})
    rows = [(key("codes", rq), 1, "codes") for rq in design.rqs]
    rows += [(key("codebook", rq, "themes"), 1, "themes") for rq in design.rqs]
    rows += [(key("saturation_guest2006", rq), 1, "saturation") for rq in design.rqs]
    rows += [
        (key(prefix, q.question_id, o), 1, "answers")
        for q in design.demographics
        for o in q.options
        for prefix in ("demo_n", "demo_pct")
    ]
    NUMBERS.validate(numbers_frame(rows))  # keys match the key pattern and are unique


@pytest.mark.bad_input
def test_two_rqs_with_one_key_are_refused_naming_both(tmp_path):
    tiny_design(tmp_path, screening=[])
    _rewrite(tmp_path, ["RQ-A", "RQ-B", "rq_a"], ["Engineer", "Manager"])
    with pytest.raises(InputError) as err:
        load_design(design_tables(tmp_path), {"screening": []})
    msg = str(err.value)
    assert "research_questions.csv" in msg and "column:  rq" in msg
    assert "'RQ-A' and 'rq_a' give the same number key part 'rq_a'" in msg
    assert "rows:    2, 4" in msg and "rename one of them" in msg


@pytest.mark.bad_input
def test_two_answer_options_with_one_key_are_refused(tmp_path):
    tiny_design(tmp_path, screening=[])
    _rewrite(tmp_path, ["RQ-A"], ["1-5", "1 - 5", "More"])
    with pytest.raises(InputError) as err:
        load_design(design_tables(tmp_path), {"screening": []})
    msg = str(err.value)
    assert "survey_demographics.csv" in msg and "option_label" in msg
    assert "'1-5' and '1 - 5' give the same number key part '1_5'" in msg


@pytest.mark.bad_input
def test_an_id_without_key_characters_is_refused(tmp_path):
    tiny_design(tmp_path, screening=[])
    _rewrite(tmp_path, ["RQ-A"], ["Engineer", "?"])
    with pytest.raises(InputError, match="'\\?' gives an empty number key part"):
        load_design(design_tables(tmp_path), {"screening": []})


def _rename_cells(folder: Path, mapping: dict[str, str], columns: dict[str, list[str]]) -> None:
    """Replace whole cells of the named columns (table file -> columns) by ``mapping``."""
    for name, cols in columns.items():
        t = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        for c in cols:
            t[c] = t[c].map(lambda v: mapping.get(v, v))
        t.to_csv(folder / name, index=False, lineterminator="\n")


FREE_IDS = st.lists(st.from_regex(ID.replace("*", "{0,6}"), fullmatch=True), min_size=7,
                    max_size=7, unique=True)  # fmt: skip


@given(FREE_IDS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_theme_subtheme_item_and_context_ids_load_or_are_refused(ids):
    """Free-form theme, subtheme, item and context ids (capitals, '.', '-', digits):
    the design loads and every key built from them is valid and unique, or two ids of
    one kind that give one key part are refused naming both."""
    themes, subs, ctxs = ids[:2], ids[2:4], ids[4:7]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tiny_design(folder, screening=[])
        items = pd.read_csv(folder / "survey_items.csv", dtype=str, keep_default_na=False)
        old_ctx = [c for c in items["context"] if c]
        mapping = dict(zip(["t1", "t2"], themes, strict=True))
        mapping |= dict(zip(["risk1", "habit2"], subs, strict=True))
        mapping |= dict(zip(old_ctx, ctxs, strict=True))
        _rename_cells(folder, mapping, {
            "codebook_themes.csv": ["theme_id"],
            "codebook_subthemes.csv": ["theme_id", "subtheme_id"],
            "survey_items.csv": ["subtheme_id", "context"],
            "survey_contexts.csv": ["context_id"],
        })  # fmt: skip
        clash = _first_collision(themes) or _first_collision(subs) or _first_collision(ctxs)
        if clash is not None:
            with pytest.raises(InputError) as err:
                load_design(design_tables(folder), {"screening": []})
            assert f"'{clash[0]}'" in str(err.value) and f"'{clash[1]}'" in str(err.value)
            return
        design = load_design(design_tables(folder), {"screening": []})
    assert sorted(design.context_ids) == sorted(ctxs)
    rows = [(key("participants", s), 1, "n") for s in design.subthemes["subtheme_id"]]
    rows += [(key("participants_theme", t), 1, "n") for t in design.themes["theme_id"]]
    rows += [(key("mean", i), 1, "mean") for i in design.item_ids]
    rows += [
        (key("p", practice, a, b), 1, "p")
        for practice in design.practices
        for a, b in design.context_pairs
    ]
    NUMBERS.validate(numbers_frame(rows))


@pytest.mark.bad_input
@pytest.mark.parametrize("bad", ["Unit tests", "a;b", "-lead", "x,y"])
def test_a_subtheme_id_outside_the_id_rule_is_refused_naming_the_rule(tmp_path, bad):
    tiny_design(tmp_path, screening=[])
    tables = {"codebook_subthemes.csv": ["subtheme_id"], "survey_items.csv": ["subtheme_id"]}
    _rename_cells(tmp_path, {"risk1": bad}, tables)
    with pytest.raises(InputError) as err:
        load_design(design_tables(tmp_path), {"screening": []})
    msg = str(err.value)
    assert "codebook_subthemes.csv" in msg and "subtheme_id" in msg
    assert "letters, digits, '.', '_' and '-', starting with a letter or digit" in msg
