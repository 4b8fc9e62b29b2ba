"""A second wave added through the config alone, and bad input stopping the run at parse time.

Runs the survey rules (with the shared helpers) in a temporary copy of the
repository, so that nothing in the checkout is touched.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml

from downstream_safety.paths import ROOT
from tests.foundation.helpers import run, tool
from tests.survey.helpers import wave_frame, write_wave

SNAKEFILE = """configfile: "config/config.yaml"
include: "workflow/rules/common.smk"
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
