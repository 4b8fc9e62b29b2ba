"""The reconstructed raw data reproduce the published aggregates through the
package's own code. Expected values are typed from the paper (Table 2, Table 3,
section 3.1), not taken from the generator."""

import subprocess
import sys

import pytest

from downstream_safety.interviews import aggregate
from downstream_safety.interviews.saturation import saturation_tables
from downstream_safety.paths import ROOT
from tests.interviews.helpers import load_paper

TABLE3 = [7, 5, 4, 8, 13, 8, 5, 6, 3, 5, 3, 7, 9, 10, 14, 9, 9, 11, 7, 10, 9, 8, 4]
TABLE3 += [6, 2, 4, 3, 4, 6, 7, 6, 5, 3, 4]
# Participants the paper quotes or names for a subtheme.
NAMED = {
    "finetune_data": ["P11"], "data_management": ["P7"], "data_leakage": ["P7"],
    "irresponsible_use": ["P18"], "understand_model": ["P8"],
    "iterative_refinement": ["P13", "P17"], "dataset_quality": ["P7", "P17"],
    "filter_io": ["P11", "P12", "P15"], "security_practices": ["P12"],
    "documentation": ["P9", "P12"], "cross_functional": ["P13"],
    "eval_dataset": ["P4", "P6", "P13", "P16"], "test_evaluate": ["P4", "P16", "P18"],
    "monitor_io": ["P11"], "eval_benchmark_gap": ["P4"], "monitoring_system_gap": ["P13"],
    "interpretability": ["P12"], "monitoring_maintenance": ["P16"],
    "policy_interpretation_gap": ["P9", "P12", "P18"], "financial_time": ["P14"],
    "human_resources": ["P15"], "knowledge_gap": ["P2"], "poor_documentation": ["P18"],
}  # fmt: skip


@pytest.fixture(scope="module")
def coded():
    return load_paper("csv")


def test_table3_participant_counts(coded):
    got = aggregate.subtheme_participants(coded.segments, coded.codebook)
    assert got["n_participants"].tolist() == TABLE3


def test_codes_per_rq(coded):
    got = aggregate.codes_per_rq(coded.codes, coded.codebook.rqs)
    assert got.values.tolist() == [["RQ1", 29], ["RQ2", 100], ["RQ3", 55]]
    # each code in exactly one subtheme
    assert coded.codes["code_id"].is_unique


def test_named_participants_mention_their_subthemes(coded):
    pairs = set(zip(coded.segments["subtheme_id"], coded.segments["participant_id"], strict=True))
    missing = [(s, p) for s, ps in NAMED.items() for p in ps if (s, p) not in pairs]
    assert missing == []


def test_saturation_after_interview_13(coded):
    _, summary = saturation_tables(
        coded.segments, coded.participants, coded.codebook.rqs, batch_size=1, coverage=1.0,
        base_size=4, run_length=2, threshold=0.05, step=1,
    )  # fmt: skip
    g = summary[summary["method"] == "guest2006"]
    assert g["saturation_interview"].tolist() == [13, 13, 13]


def test_table2_published_values(coded):
    p = coded.participants.set_index("participant_id")
    assert p.loc["P1"].tolist()[2:] == [1, 15, "1-5", "Bachelor", "Open-source", "NLP"]
    assert p.loc["P12"].tolist()[2:] == [4, 4, "25+", "Master", "Large", "CV, NLP"]
    assert p.loc["P18"].tolist()[2:] == [7, 7, "10-25", "PhD", "Medium", "NLP"]
    assert p["dl_experience_years"].sum() == 70 and p["se_experience_years"].sum() == 100
    assert (p["channel"] == "network").sum() == 5


@pytest.mark.parametrize("stage", ["interviews", "recruitment"])
def test_generator_matches_committed_files(stage):
    run = subprocess.run(
        [sys.executable, "-m", f"reconstruction.{stage}", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("stage", ["interviews", "recruitment"])
def test_generator_check_detects_a_changed_file(stage, tmp_path, monkeypatch):
    import importlib
    import shutil

    gen = importlib.import_module(f"reconstruction.{stage}")
    copy = tmp_path / stage
    shutil.copytree(gen.OUT, copy)
    monkeypatch.setattr(gen, "OUT", copy)
    assert gen.main(["--check"]) == 0
    target = sorted(p for p in copy.iterdir() if p.suffix == ".csv")[0]
    target.write_bytes(target.read_bytes() + b"\n")
    assert gen.main(["--check"]) == 1
