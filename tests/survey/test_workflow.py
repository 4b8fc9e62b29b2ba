"""A second wave added through the config alone, and bad input stopping the run at parse time.

Runs the survey rules (with the shared helpers) in a temporary copy of the
repository, so that nothing in the checkout is touched.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml

from downstream_safety.instruments.design import design_settings, design_tables, load_design
from downstream_safety.paths import ROOT
from tests.foundation.helpers import run, tool
from tests.survey.helpers import tiny_wave, wave_frame, write_wave

pytestmark = pytest.mark.slow  # starts Snakemake in a subprocess


def paper_design_settings() -> dict:
    return design_settings(yaml.safe_load((ROOT / "config/config.yaml").read_text()))


SNAKEFILE = """configfile: "config/config.yaml"
include: "workflow/rules/common.smk"
include: "workflow/rules/instruments.smk"
include: "workflow/rules/survey.smk"
rule all:
    default_target: True
    input: final_targets,
"""


def _copy(dest):
    for name in ["workflow", "config", "src"]:
        shutil.copytree(
            ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".snakemake")
        )
    for name in ["instruments", "survey"]:
        shutil.copytree(ROOT / "data/raw" / name, dest / "data/raw" / name)
    (dest / "Snakefile").write_text(SNAKEFILE)


def _add_wave(dest, wave_id, path):
    cfg_path = dest / "config/config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text())
    cfg["survey"]["waves"].append({"id": wave_id, "responses": path})
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))


def _snakemake(dest, *targets, dry=False):
    cmd = [tool("snakemake"), "--cores", "4"]
    if dry:
        cmd.append("-n")
    return run([*cmd, "--", *targets], cwd=dest, timeout=600)


@pytest.fixture(scope="module")
def two_wave_run(tmp_path_factory):
    dest = tmp_path_factory.mktemp("repo")
    _copy(dest)
    codes = [{"freq_documentation__data": 1 + i % 4, "imp_reliability": 1 + i % 5}
             for i in range(10)]  # fmt: skip
    write_wave(wave_frame(codes, prefix="S"), dest / "data/raw/survey/wave2.csv")
    _add_wave(dest, "wave2", "data/raw/survey/wave2.csv")
    res = _snakemake(
        dest,
        "data/processed/survey/numbers.csv",
        "data/processed/survey/wave_comparison.csv",
        "paper/figures/survey/wave2/figure4_practices.png",
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return dest


def test_second_wave_tables(two_wave_run):
    out = two_wave_run / "data/processed/survey"
    scr = pd.read_csv(out / "screening.csv").set_index("wave")
    assert scr.index.tolist() == ["wave1", "wave2", "all"]
    assert scr.loc["wave2", "valid"] == 10
    assert scr.loc["all"].tolist() == (scr.loc["wave1"] + scr.loc["wave2"]).tolist()
    summ = pd.read_csv(out / "item_summary.csv").set_index(["wave", "item_id"])
    for item in ["imp_reliability", "freq_documentation__data", "agr_knowledge_gap"]:
        w1, w2 = summ.loc[("wave1", item)], summ.loc[("wave2", item)]
        pooled = (w1["mean"] * w1["n_valid"] + w2["mean"] * w2["n_valid"]) / (
            w1["n_valid"] + w2["n_valid"]
        )
        assert summ.loc[("all", item), "mean"] == pytest.approx(pooled)
    tests = pd.read_csv(out / "practice_tests.csv")
    assert sorted(tests["wave"].unique()) == ["all", "wave1", "wave2"]
    assert (tests.groupby("wave").size() == 24).all()
    comp = pd.read_csv(out / "wave_comparison.csv")
    assert set(comp["wave"]) == {"wave1", "wave2"}
    assert (two_wave_run / "paper/figures/survey/wave2/figure4_practices.png").exists()
    assert (two_wave_run / "paper/figures/survey_wave_comparison.pdf").exists()


@pytest.mark.bad_input
def test_bad_wave_stops_before_any_output(tmp_path):
    _copy(tmp_path)
    df = wave_frame([{}, {}])
    df.loc[1, "imp_reliability"] = "Very Important"
    write_wave(df, tmp_path / "data/raw/survey/bad.csv")
    _add_wave(tmp_path, "bad", "data/raw/survey/bad.csv")
    res = _snakemake(tmp_path)
    assert res.returncode != 0
    text = res.stdout + res.stderr
    assert "survey wave 'bad'" in text and "imp_reliability" in text and "Very important" in text
    assert not (tmp_path / "data/processed").exists()


SEVEN = ["Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree",
         "Somewhat agree", "Agree", "Strongly agree"]  # fmt: skip


@pytest.fixture(scope="module")
def followup_run(tmp_path_factory):
    """A copy of the paper study with a 7-point agreement scale and two contexts
    (``behaviour`` dropped), run on a small hand-made wave through the survey rules."""
    dest = tmp_path_factory.mktemp("followup")
    _copy(dest)
    inst = dest / "data/raw/instruments"
    scales = pd.read_csv(inst / "survey_scales.csv")
    seven = pd.DataFrame({"scale_id": "agreement7", "code": range(1, 8), "label": SEVEN})
    pd.concat([scales, seven]).to_csv(inst / "survey_scales.csv", index=False)
    items = pd.read_csv(inst / "survey_items.csv", keep_default_na=False)
    items = items[items["context"] != "behaviour"]
    items.loc[items["block"] == "agreement", "scale_id"] = "agreement7"
    items.to_csv(inst / "survey_items.csv", index=False)
    ctx = pd.read_csv(inst / "survey_contexts.csv")
    ctx[ctx["context_id"] != "behaviour"].to_csv(inst / "survey_contexts.csv", index=False)
    design = load_design(design_tables(inst), paper_design_settings())
    # Four respondents; the last has no deep-learning experience (screened out).
    codes = [
        {"agr_knowledge_gap": 7, "freq_documentation__data": 1, "freq_documentation__misuse": 2},
        {"agr_knowledge_gap": 6, "freq_documentation__data": 2, "freq_documentation__misuse": 2},
        {"agr_knowledge_gap": 2, "freq_documentation__data": 3, "freq_documentation__misuse": 4},
        {"agr_knowledge_gap": 7, "freq_documentation__data": 4, "freq_documentation__misuse": 1},
    ]
    rows = []
    for i, c in enumerate(codes):
        row = {"ai_projects": "1-5", "dl_experience": "None" if i == 3 else "1-2 years",
               "se_experience": "3-5 years", "description_verdict": "accept"}  # fmt: skip
        row.update({item: c.get(item, 3) for item in design.item_ids})
        rows.append(row)
    write_wave(tiny_wave(design, rows), dest / "data/raw/survey/pilot.csv")
    cfg_path = dest / "config/config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text())
    cfg["survey"]["waves"] = [{"id": "pilot", "responses": "data/raw/survey/pilot.csv"}]
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    figures = [f"paper/figures/{f}.png" for f in ["figure4_practices", "figure5_challenges",
                                                  "survey_screening"]]  # fmt: skip
    res = _snakemake(dest, "data/processed/survey/numbers.csv", *figures)
    assert res.returncode == 0, res.stderr[-3000:]
    return dest


def test_seven_point_scale_and_two_contexts_end_to_end(followup_run):
    out = followup_run / "data/processed/survey"
    scr = pd.read_csv(out / "screening.csv").set_index("wave")
    assert scr.loc["pilot"].tolist() == [4, 1, 0, 3]
    summ = pd.read_csv(out / "item_summary.csv").set_index(["wave", "item_id"])
    gap = summ.loc[("all", "agr_knowledge_gap")]
    assert gap["mean"] == pytest.approx(15 / 3)  # 7, 6, 2
    assert gap["pct_top2"] == pytest.approx(200 / 3)  # 7 and 6 are the two highest of seven
    assert gap["pct_lowest"] == pytest.approx(0.0)
    levels = pd.read_csv(out / "item_levels.csv")
    lv = levels[(levels["wave"] == "all") & (levels["item_id"] == "agr_knowledge_gap")]
    assert lv["count"].tolist() == [0, 1, 0, 0, 0, 1, 1]
    tests = pd.read_csv(out / "practice_tests.csv")
    assert len(tests) == 2 * 8  # pilot and pooled x 8 practices x the one pair
    assert set(zip(tests["concern_a"], tests["concern_b"], strict=True)) == {("data", "misuse")}
    doc = tests[(tests["wave"] == "all") & (tests["practice"] == "documentation")].iloc[0]
    assert doc["mean_a"] == pytest.approx(2.0) and doc["mean_b"] == pytest.approx(8 / 3)
    nums = pd.read_csv(out / "numbers.csv").set_index("key")
    assert nums.at["practice_score__documentation", "value"] == pytest.approx((2 + 8 / 3) / 2)
    assert nums.at["practice_score__documentation", "description"] == "mean of the 2 context means"
    assert nums.at["screen__excluded_experience", "value"] == 1
    for fig in ["figure4_practices", "figure5_challenges", "survey_screening"]:
        assert (followup_run / f"paper/figures/{fig}.png").stat().st_size > 0
