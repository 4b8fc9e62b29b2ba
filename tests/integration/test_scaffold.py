"""A new team's start: `repro.py new-study DIR` writes a study folder that runs.

The slow test writes the folder and runs every command of docs/adapting.md's
first section in it, as the doc gives them. The expected values are computed
here from the folder's raw CSV files with the csv module and plain arithmetic,
independently of the package, or are known by construction of the template's
synthetic records (reconstruction.scaffold: respondent R01 has no experience,
R02 failed the attention check; six interviewees came through the contact log).
"""

from __future__ import annotations

import csv
import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from statistics import mean

import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.instruments.design import design_tables
from downstream_safety.scaffold.new_study import TEMPLATE, write_study
from tests.integration.study_folder import run_snakemake

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DOC = REPO / "docs" / "adapting.md"
STUDY_IN_DOC = "../my-study"


def _repro():
    spec = importlib.util.spec_from_file_location("repro", REPO / "repro.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _doc_commands() -> list[str]:
    """The shell lines of the ```sh blocks in the doc's first section."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## 1.") : text.index("## 2.")]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return [line for b in blocks for line in b.splitlines() if line.strip()]


def test_the_template_has_every_instrument_table_and_its_records_are_the_generators():
    names = {Path(p).name for p in design_tables("x").values()}
    present = {p.name for p in (TEMPLATE / "data" / "raw" / "instruments").glob("*.csv")}
    assert names <= present, names - present
    res = subprocess.run(
        [sys.executable, "-m", "reconstruction.scaffold", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_repro_delegates_new_study_to_the_scaffold_module():
    assert _repro().DELEGATED["new-study"] == "downstream_safety.scaffold.new_study"


def test_a_folder_that_is_not_empty_is_refused_and_left_alone(tmp_path):
    dest = tmp_path / "study"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not an empty folder"):
        write_study(dest, REPO)
    assert sorted(p.name for p in dest.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study"]  # no staging left behind


def test_the_written_snakefile_imports_this_workflow(tmp_path):
    files = write_study(tmp_path / "s", REPO)
    assert Path("Snakefile") in files and Path("config.yaml") in files
    text = (tmp_path / "s" / "Snakefile").read_text()
    assert repr(str(REPO / "Snakefile")) in text
    assert "<workflow>" not in (tmp_path / "s" / "README.md").read_text()


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    """The folder written and run by the doc's commands, in an outside folder."""
    base = tmp_path_factory.mktemp("outside")
    dest = base / "my-study"
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    env.pop("DOWNSTREAM_SAFETY_ROOT", None)
    cwd = REPO
    commands = _doc_commands()
    assert commands[0].startswith("python3 repro.py new-study"), commands
    for line in commands:
        line = line.replace(STUDY_IN_DOC, str(dest)).replace("<workflow>", str(REPO))
        argv = shlex.split(line)
        if argv[0] == "cd":
            cwd = Path(argv[1])
            continue
        if argv[:2] == ["python3", "repro.py"]:
            # repro.py runs the module in the environment; the suite already runs
            # in it, so the module is run directly (a second repro.py would check
            # the environment against another interpreter).
            argv = [sys.executable, "-m", _repro().DELEGATED[argv[2]], *argv[3:]]
        res = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=1200)
        assert res.returncode == 0, (line, (res.stdout + res.stderr)[-6000:])
    return dest


@pytest.mark.slow
def test_every_doc_command_ran_and_wrote_the_report(study):
    assert (study / "paper" / "report.html").stat().st_size > 0
    assert (study / "data" / "processed" / "reliability" / "privacy_gate.csv").exists()


@pytest.mark.slow
def test_screening_counts_follow_the_template_records(study):
    raw = study / "data" / "raw"
    rows = _rows(raw / "survey" / "wave1.csv")
    valid = [r for r in rows if r["ml_experience"] != "None" and r["attention_check"] != "failed"]
    got = {r["wave"]: r for r in _rows(study / "data" / "processed" / "survey" / "screening.csv")}
    assert got["wave1"]["recruited"] == str(len(rows)) == "24"
    assert got["wave1"]["valid"] == str(len(valid)) == "22"


@pytest.mark.slow
def test_an_item_mean_matches_a_hand_computation(study):
    raw = study / "data" / "raw"
    codes = {
        r["label"]: int(r["code"])
        for r in _rows(raw / "instruments" / "survey_scales.csv")
        if r["scale_id"] == "frequency6"
    }
    rows = _rows(raw / "survey" / "wave1.csv")
    valid = [r for r in rows if r["ml_experience"] != "None" and r["attention_check"] != "failed"]
    item = "pr_unit_tests_production"
    want = mean(codes[r[item]] for r in valid if r[item] in codes)
    summary = _rows(study / "data" / "processed" / "survey" / "item_summary.csv")
    got = [r for r in summary if r["item_id"] == item and r["wave"] == "all"]
    assert len(got) == 1
    assert float(got[0]["mean"]) == pytest.approx(want, abs=1e-9)


@pytest.mark.slow
def test_subtheme_participants_and_the_funnel_match_the_raw_records(study):
    raw = study / "data" / "raw"
    segs = _rows(raw / "interviews" / "coded_segments.csv")
    want = {}
    for s in segs:
        want.setdefault(s["subtheme_id"], set()).add(s["participant_id"])
    got = {
        r["subtheme_id"]: int(r["n_participants"])
        for r in _rows(study / "data" / "processed" / "interviews" / "subtheme_participants.csv")
    }
    assert got == {k: len(v) for k, v in want.items()}
    log = _rows(raw / "recruitment" / "contact_log.csv")
    funnel = {
        r["stage"]: int(r["n"])
        for r in _rows(study / "data" / "processed" / "recruitment" / "funnel.csv")
    }
    assert funnel["contacted"] == len(log)
    assert funnel["attended"] == sum(r["outcome"] == "attended" for r in log) == 6
    assert funnel["participants"] == len(_rows(raw / "interviews" / "participants.csv")) == 8


@pytest.mark.slow
def test_the_new_study_speaks_only_of_itself(study):
    """None of the paper study's words in the folder's outputs or its report."""
    from tests.integration.test_study_identity import PAPER_WORDS, TEXT, _report, _strings

    hits = []
    for folder in ["data/processed", "paper", "notebooks"]:
        for path in sorted((study / folder).rglob("*")):
            if path.is_file() and path.suffix in TEXT and path.name != "report.html":
                text = path.read_text(encoding="utf-8")
                hits += [f"{path.relative_to(study)}: {m.group()}"
                         for m in PAPER_WORDS.finditer(text)]  # fmt: skip
    for text in _strings(_report(study)):
        hits += [f"report: {text[max(0, m.start() - 60) : m.end() + 30]}"
                 for m in PAPER_WORDS.finditer(text)]  # fmt: skip
    assert not hits, "\n".join(hits)


@pytest.mark.slow
def test_the_new_study_has_robustness_verdicts(study):
    rows = _rows(study / "data" / "processed" / "robustness" / "conclusions.csv")
    families = {r["family"] for r in rows}
    assert {"paired_test", "ranking", "saturation", "agreement"} <= families, families
    # The failure block's highest mean, by hand from the raw answers.
    raw = study / "data" / "raw"
    codes = {r["label"]: int(r["code"]) for r in _rows(raw / "instruments" / "survey_scales.csv")
             if r["scale_id"] == "seriousness3"}  # fmt: skip
    answers = [r for r in _rows(raw / "survey" / "wave1.csv")
               if r["ml_experience"] != "None" and r["attention_check"] != "failed"]  # fmt: skip
    means = {i: mean(codes[r[i]] for r in answers if r[i] in codes)
             for i in ("fl_data_drift", "fl_silent_errors")}  # fmt: skip
    top = max(means, key=means.get)
    got = next(r for r in rows if r["conclusion_id"] == "highest__mean__failure")
    assert got["expected"] == top


@pytest.fixture(scope="module")
def pilot(tmp_path_factory) -> Path:
    """A team's pilot from the folder with no edits beyond its config: two research
    questions with hyphenated ids, interviews and a survey, no incidents and no
    recruitment log."""
    import yaml

    dest = tmp_path_factory.mktemp("pilot") / "pilot"
    write_study(dest, REPO)
    cfg = yaml.safe_load((dest / "config.yaml").read_text())
    cfg["study"]["title"] = "Testing practices of ML engineers (pilot)"
    cfg["recruitment"] = None
    cfg["incidents"] = None
    (dest / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    for args in (["--cores", "2"], ["--cores", "1", "--report", "paper/report.html"]):
        run_snakemake(dest, *args, timeout=1200)
    return dest


@pytest.mark.slow
def test_a_pilot_without_incidents_or_recruitment_runs_and_speaks_of_itself(pilot):
    test_the_new_study_speaks_only_of_itself(pilot)
    assert not (pilot / "data" / "processed" / "incidents").exists()
    rows = _rows(pilot / "data" / "processed" / "robustness" / "conclusions.csv")
    assert {r["family"] for r in rows} == {"paired_test", "ranking", "saturation"}
    sat = {r["conclusion_id"]: r["expected"] for r in rows if r["family"] == "saturation"}
    # By hand: the interview in which each RQ's last new subtheme first appears.
    interviews = pilot / "data" / "raw" / "interviews"
    segs = _rows(interviews / "coded_segments.csv")
    order = {r["participant_id"]: int(r["interview_order"])
             for r in _rows(interviews / "participants.csv")}  # fmt: skip
    first: dict[tuple[str, str], int] = {}
    for s in segs:
        k = (s["rq"], s["subtheme_id"])
        first[k] = min(first.get(k, 99), order[s["participant_id"]])
    for rq, part in (("RQ-A", "rq_a"), ("RQ-B", "rq_b")):
        want = max(v for (r, _), v in first.items() if r == rq)
        assert sat[f"saturation__guest2006__{part}"] == str(want)
