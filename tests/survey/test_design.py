"""The survey stage follows the design: scales of 2 to 11 levels, any number of
contexts, configured screening rules and demographic questions.

Every expected value below is worked out by hand from the tiny inputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.common.figures import diverging
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.survey import analysis, schemas
from downstream_safety.survey.figures import block_figure, screening_figure
from downstream_safety.survey.load import read_waves
from downstream_safety.survey.numbers import survey_numbers
from downstream_safety.survey.stats import WilcoxonSettings
from tests.survey.helpers import AGREE7, paper_design, tiny_design, tiny_wave, write_wave


def _responses(design, rows, tmp_path, wave="w1"):
    path = write_wave(tiny_wave(design, rows), tmp_path / f"{wave}.csv")
    (w,) = read_waves([{"id": wave, "responses": str(path)}], design)
    return analysis.with_status(w.responses, design)


def _row(role="Engineer", risk=4, habits=(2, 2, 2), design=None):
    row = {"role": role, "q_risk1": risk}
    for cid, code in zip(["zeta", "alpha", "mid"], habits, strict=False):
        row[f"q_habit2_{cid}"] = code
    return row


# 7-point scale -----------------------------------------------------------------


@pytest.fixture
def seven(tmp_path):
    design = tiny_design(tmp_path / "inst")
    # q_risk1 answers 7, 6, 5, 1, 1, "No idea"; a Manager answering 7 is screened out.
    rows = [_row(risk=r) for r in (7, 6, 5, 1, 1, 0)] + [_row(role="Manager", risk=7)]
    return design, _responses(design, rows, tmp_path)


def test_seven_point_item_statistics(seven):
    design, resp = seven
    summary, levels = analysis.item_tables(resp, design, ["w1"])
    s = summary[(summary["wave"] == "w1") & (summary["item_id"] == "q_risk1")].iloc[0]
    assert s["n_valid"] == 5 and s["n_missing"] == 1
    assert s["mean"] == pytest.approx(20 / 5)  # 7 + 6 + 5 + 1 + 1
    assert s["pct_top2"] == pytest.approx(40.0)  # 6 and 7: two of five
    assert s["pct_lowest"] == pytest.approx(40.0)  # two answers of 1
    lv = levels[(levels["wave"] == "w1") & (levels["item_id"] == "q_risk1")]
    assert lv["level"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert lv["label"].tolist() == AGREE7
    assert lv["count"].tolist() == [2, 0, 0, 0, 1, 1, 1]
    assert lv["percent"].tolist() == pytest.approx([40, 0, 0, 0, 20, 20, 20])
    # The tables pass their own schemas (mean 4 > 3 levels is fine for a 7-point item).
    schemas.item_summary_schema(design).validate(summary)
    schemas.item_levels_schema(design).validate(levels)


def test_schema_ranges_follow_each_items_scale(seven):
    design, _ = seven
    summary = pd.DataFrame(
        {"wave": ["w1", "w1"], "item_id": ["q_risk1", "q_habit2_zeta"], "n_valid": [1, 1],
         "n_missing": [0, 0], "mean": [6.5, 2.5], "pct_top2": [100.0, 100.0],
         "pct_lowest": [0.0, 0.0]}
    )  # fmt: skip
    schema = schemas.item_summary_schema(design)
    schema.validate(summary)
    too_high = summary.assign(mean=[7.5, 2.5])  # above the 7-point scale
    with pytest.raises(pa.errors.SchemaError):
        schema.validate(too_high)
    three_level = summary.assign(mean=[6.5, 4.0])  # 4 on the 3-level item
    with pytest.raises(pa.errors.SchemaError, match="mean_within_item_scale"):
        schema.validate(three_level)
    levels = pd.DataFrame(
        {"wave": ["w1"], "item_id": ["q_habit2_zeta"], "level": [4], "label": ["x"],
         "count": [1], "percent": [100.0]}
    )  # fmt: skip
    with pytest.raises(pa.errors.SchemaError, match="level_within_item_scale"):
        schemas.item_levels_schema(design).validate(levels)
    schemas.item_levels_schema(design).validate(levels.assign(item_id="q_risk1", level=7))


def test_item_and_practice_ids_must_be_the_designs(seven):
    design, resp = seven
    summary, _ = analysis.item_tables(resp, design, ["w1"])
    schema = schemas.item_summary_schema(design)
    schema.validate(summary)  # ids with digits (q_risk1) are accepted
    other = summary.copy()
    other.loc[0, "item_id"] = "q_other"
    with pytest.raises(pa.errors.SchemaError, match="q_other"):
        schema.validate(other)
    t = analysis.practice_tests(resp, design, ["w1"], WilcoxonSettings())
    with pytest.raises(pa.errors.SchemaError):
        schemas.practice_tests_schema(design).validate(t.assign(practice="habit9"))


def test_seven_point_figure_uses_seven_colours(seven):
    design, resp = seven
    _, levels = analysis.item_tables(resp, design, ["w1"])
    fig = block_figure(levels[levels["wave"] == "all"], design, "concerns",
                       design.short_labels(), title="t", note="Synthetic test data")  # fmt: skip
    assert "Synthetic test data" in [t.get_text() for t in fig.texts]
    ax = fig.axes[0]
    colours = {tuple(round(c, 4) for c in p.get_facecolor()[:3]) for p in ax.patches}
    assert len(ax.patches) == 7 and len(colours) == 7
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Risk 1"]


def test_diverging_palette():
    assert diverging(5) == ["#B35806", "#F1A340", "#D9D9D9", "#998EC3", "#542788"]
    assert diverging(4) == ["#B35806", "#F1A340", "#998EC3", "#542788"]
    for k in range(2, 12):
        p = diverging(k)
        assert len(p) == k and len(set(p)) == k
        assert p[0] == "#B35806" and p[-1] == "#542788"
        assert (p[k // 2] == "#D9D9D9") == (k % 2 == 1)
    with pytest.raises(ValueError):
        diverging(12)


# Contexts ----------------------------------------------------------------------


def test_paper_context_pairs_keep_their_order():
    assert paper_design().context_pairs == [
        ("behaviour", "data"), ("behaviour", "misuse"), ("data", "misuse")]  # fmt: skip


def test_three_contexts_three_pairs(tmp_path):
    design = tiny_design(tmp_path / "inst", n_contexts=3)
    # habit codes (zeta, alpha, mid) per respondent
    habits = [(3, 1, 2), (3, 2, 2), (2, 1, 1), (3, 1, 3)]
    resp = _responses(design, [_row(habits=h) for h in habits], tmp_path)
    t = analysis.practice_tests(resp, design, ["w1"], WilcoxonSettings())
    pooled = t[t["wave"] == "all"]
    assert list(zip(pooled["concern_a"], pooled["concern_b"], strict=True)) == [
        ("alpha", "mid"), ("alpha", "zeta"), ("mid", "zeta")]  # fmt: skip
    assert len(t) == 2 * 3  # wave w1 and pooled, 3 pairs of one practice
    row = pooled.set_index(["concern_a", "concern_b"]).loc[("alpha", "zeta")]
    assert row["mean_a"] == pytest.approx(5 / 4) and row["mean_b"] == pytest.approx(11 / 4)
    assert row["n_nonzero"] == 4
    # Every item measuring the practice counts: (11 + 5 + 8) / 4 / 3 = 2
    summary, levels = analysis.item_tables(resp, design, ["w1"])
    nums = survey_numbers(
        analysis.screening_table(resp, design, ["w1"]),
        analysis.demographics_table(resp, design, ["w1"]),
        summary, levels, t, design,
    ).set_index("key")  # fmt: skip
    assert nums.at["practice_score__habit2", "value"] == pytest.approx(2.0)
    assert nums.at["practice_score__habit2", "description"] == "mean of the 3 context means"
    assert "p__habit2__alpha__zeta" in nums.index


def test_two_contexts_one_pair(tmp_path):
    design = tiny_design(tmp_path / "inst", n_contexts=2)
    resp = _responses(design, [_row(habits=(3, 1)), _row(habits=(2, 1)), _row(habits=(3, 3))],
                      tmp_path)  # fmt: skip
    t = analysis.practice_tests(resp, design, ["w1"], WilcoxonSettings())
    pooled = t[t["wave"] == "all"]
    assert list(zip(pooled["concern_a"], pooled["concern_b"], strict=True)) == [("alpha", "zeta")]
    assert pooled["n_pairs"].tolist() == [3] and pooled["n_nonzero"].tolist() == [2]
    assert pooled["mean_a"].tolist() == pytest.approx([5 / 3])
    schemas.practice_tests_schema(design).validate(t)


@pytest.mark.parametrize("n_contexts", [1, 0])
def test_one_or_no_context_no_tests(tmp_path, n_contexts):
    design = tiny_design(tmp_path / "inst", n_contexts=n_contexts)
    rows = [{"role": "Engineer", "q_risk1": 4, **{i: 2 for i in design.item_ids[1:]}}] * 2
    resp = _responses(design, rows, tmp_path)
    t = analysis.practice_tests(resp, design, ["w1"], WilcoxonSettings())
    assert t.empty and list(t.columns) == analysis.TEST_COLUMNS
    path = tmp_path / "practice_tests.csv"
    write_table(t, path, schemas.practice_tests_schema(design))
    assert path.read_text().splitlines() == [",".join(analysis.TEST_COLUMNS)]
    back = read_table(path, schemas.practice_tests_schema(design), allow_empty=True)
    assert back.empty


def test_figure_groups_contexts_with_context_labels(tmp_path):
    design = tiny_design(tmp_path / "inst", n_contexts=3)
    resp = _responses(design, [_row(habits=(3, 1, 2)), _row(habits=(1, 1, 2))], tmp_path)
    _, levels = analysis.item_tables(resp, design, ["w1"])
    fig = block_figure(levels[levels["wave"] == "all"], design, "habits", design.short_labels(),
                       title="t", note="n", stars={"q_habit2_zeta"})  # fmt: skip
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Habit 2 - Z context *", "Habit 2 - A context", "Habit 2 - M context"]
    assert len(fig.axes[0].patches) == 3 * 3  # three items x three levels


# Screening and demographics ------------------------------------------------------------


def _two_rule_design(tmp_path, order):
    rules = {
        "junior": {"id": "junior", "label": "seniority check",
                   "exclude_if_any": {"seniority": ["junior"]}},
        "managers": {"id": "managers", "exclude_if_any": {"role": ["Manager"]}},
    }  # fmt: skip
    return tiny_design(tmp_path / "_".join(order), screening=[rules[r] for r in order],
                       screening_columns={"seniority": ["junior", "senior"]})  # fmt: skip


@pytest.mark.parametrize(
    "order, expected",
    [
        # junior+Manager counts for the first rule that matches
        (("junior", "managers"), [5, 2, 1, 2]),
        (("managers", "junior"), [5, 2, 1, 2]),
    ],
)
def test_screening_rules_in_order(tmp_path, order, expected):
    design = _two_rule_design(tmp_path, order)
    people = [("Manager", "junior"), ("Engineer", "junior"), ("Manager", "senior"),
              ("Engineer", "senior"), ("Researcher", "senior")]  # fmt: skip
    rows = [{**_row(role=r), "seniority": s} for r, s in people]
    resp = _responses(design, rows, tmp_path)
    status = dict(zip(resp["respondent_id"], resp["status"], strict=True))
    assert status["T01"] == f"excluded_{order[0]}"  # matches both rules
    assert status["T02"] == "excluded_junior" and status["T03"] == "excluded_managers"
    assert status["T04"] == status["T05"] == "valid"
    s = analysis.screening_table(resp, design, ["w1"])
    assert s.columns.tolist() == ["wave", "recruited", *(f"excluded_{r}" for r in order), "valid"]
    assert s.set_index("wave").loc["w1"].tolist() == expected
    schemas.screening_schema(design).validate(s)
    schemas.responses_schema(design).validate(resp)
    fig = screening_figure(s.assign(wave=["w1", "all"]), design, "note")
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == [5, 5 - expected[1], 5 - expected[1] - expected[2]]
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    names = {"junior": "Passed seniority check", "managers": "Passed managers"}
    assert labels == ["Recruited", *(names[r] for r in order)]


def test_demographic_question_with_its_own_options(tmp_path):
    design = tiny_design(tmp_path / "inst")
    roles = ["Researcher", "Engineer", "Researcher", "Manager"]
    resp = _responses(design, [_row(role=r) for r in roles], tmp_path)
    d = analysis.demographics_table(resp, design, ["w1"])
    w1 = d[d["wave"] == "w1"]
    assert w1["question"].unique().tolist() == ["role"]
    assert w1["answer"].tolist() == ["Engineer", "Researcher", "Manager"]  # option order
    assert w1["n"].tolist() == [1, 2, 0]  # the Manager is screened out
    assert w1["percent"].tolist() == pytest.approx([100 / 3, 200 / 3, 0])
    schemas.demographics_schema(design).validate(d)


def test_no_screening_rules_everyone_valid(tmp_path):
    design = tiny_design(tmp_path / "inst", screening=[])
    resp = _responses(design, [_row(role="Manager"), _row()], tmp_path)
    s = analysis.screening_table(resp, design, ["w1"])
    assert s.columns.tolist() == ["wave", "recruited", "valid"]
    assert s.set_index("wave").loc["all"].tolist() == [2, 2]
    assert len(screening_figure(s, design, "note").axes[0].patches) == 1


# Bad input ---------------------------------------------------------------------------


@pytest.mark.bad_input
def test_unknown_demographic_answer_names_file_column_rows_fix(tmp_path):
    design = tiny_design(tmp_path / "inst")
    df = tiny_wave(design, [_row(), _row()])
    df.loc[1, "role"] = "CEO"
    path = write_wave(df, tmp_path / "w.csv")
    with pytest.raises(InputError) as exc:
        read_waves([{"id": "w1", "responses": str(path)}], design)
    msg = str(exc.value)
    assert "w.csv" in msg and "role" in msg and "'CEO'" in msg
    assert "rows:    3" in msg
    assert "Engineer; Researcher; Manager" in msg  # the fix lists the options


@pytest.mark.bad_input
def test_screening_rule_with_unknown_column(tmp_path):
    with pytest.raises(InputError) as exc:
        tiny_design(tmp_path / "inst",
                    screening=[{"id": "x", "exclude_if_any": {"shoe_size": ["42"]}}])  # fmt: skip
    msg = str(exc.value)
    assert "config/config.yaml" in msg and "shoe_size" in msg
    assert "survey.screening[0].exclude_if_any" in msg
    assert "role" in msg  # the fix names the known columns


def test_numbers_follow_configured_statuses(tmp_path):
    design = _two_rule_design(tmp_path, ("managers", "junior"))
    rows = [{**_row(role="Manager"), "seniority": "senior"}, {**_row(), "seniority": "senior"}]
    resp = _responses(design, rows, tmp_path)
    summary, levels = analysis.item_tables(resp, design, ["w1"])
    nums = survey_numbers(
        analysis.screening_table(resp, design, ["w1"]),
        analysis.demographics_table(resp, design, ["w1"]),
        summary, levels, analysis.practice_tests(resp, design, ["w1"], WilcoxonSettings()),
        design,
    ).set_index("key")["value"]  # fmt: skip
    assert nums["screen__excluded_managers"] == 1 and nums["screen__excluded_junior"] == 0
    assert nums["screen__valid"] == 1
    assert nums["demo_n__role__engineer"] == 1
    assert np.isclose(nums["mean__q_risk1"], 4.0)
