"""Follow-up designs on copies of the paper study, with no code change.

Two copies of the paper study are edited the way a follow-up team would edit
data and configuration, then run end to end:

* design variant: the agreement scale becomes a 7-point scale, the misuse
  context is dropped (two contexts remain), and a fourth research question
  with one subtheme and two coded segments is added;
* survey-only variant: recruitment, interviews and incidents are switched off
  and there are no published numbers;
* snapshot variant: the paper study as shipped with the full shared AIID
  snapshot configured (copied beside the copy, so its reads are audited too);
  left out with a reason when ../shared is absent.

Every job of both runs is watched (tests/integration/open_audit): the files
it opens must be files its rule declared, and touching an input must make
Snakemake rerun exactly the jobs that read it and the jobs downstream of them.

Expected values are computed in this file from the raw CSV files with the csv
module (an implementation independent of the package) or by hand.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import mean

import pytest
import yaml

from tests.foundation.helpers import copy_workflow
from tests.reliability.workflow_copy import SNAKEMAKE, env_for

pytestmark = pytest.mark.slow
AUDIT_HOOK = Path(__file__).resolve().parent / "open_audit"

AGREEMENT7 = [
    "Strongly disagree", "Disagree", "Somewhat disagree", "Neutral",
    "Somewhat agree", "Agree", "Strongly agree",
]  # fmt: skip


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, rows: list[dict[str, str]], header: list[str]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _edit_config(copy: Path, edit) -> None:
    path = copy / "config" / "config.yaml"
    cfg = yaml.safe_load(path.read_text())
    # Edited raw files are no longer the pinned ones.
    cfg["privacy"]["raw_manifest"] = None
    # Robustness runs on the paper study, the example follow-up and the strand
    # variants of test_robustness_strands.py; left off here to keep these runs short.
    cfg["robustness"] = None
    edit(cfg)
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))


def _design_variant(copy: Path) -> None:
    inst = copy / "data/raw/instruments"
    # 1. A 7-point agreement scale: the 5 exported labels keep their names and
    #    take codes 1, 2, 4, 6, 7; two new levels sit between them.
    scales = [r for r in _rows(inst / "survey_scales.csv") if r["scale_id"] != "agreement5"]
    scales += [{"scale_id": "agreement7", "code": str(i), "label": lab}
               for i, lab in enumerate(AGREEMENT7, start=1)]  # fmt: skip
    _write(inst / "survey_scales.csv", scales, ["scale_id", "code", "label"])
    items = _rows(inst / "survey_items.csv")
    for r in items:
        if r["scale_id"] == "agreement5":
            r["scale_id"] = "agreement7"
    # 2. Two contexts: the misuse context and its items are dropped (the wave's
    #    misuse columns become extra columns, which are ignored).
    items = [r for r in items if r["context"] != "misuse"]
    _write(inst / "survey_items.csv", items, list(items[0]))
    ctx = [r for r in _rows(inst / "survey_contexts.csv") if r["context_id"] != "misuse"]
    _write(inst / "survey_contexts.csv", ctx, list(ctx[0]))
    proto = _rows(inst / "protocol.csv")
    for r in proto:
        if r["survey_scale_id"] == "agreement5":
            r["survey_scale_id"] = "agreement7"
    _write(inst / "protocol.csv", proto, list(proto[0]))
    # 3. A fourth research question, coded in two interviews.
    rqs = _rows(inst / "research_questions.csv")
    rqs.append({"rq": "RQ4", "rq_order": "4", "rq_label": "Needs"})
    _write(inst / "research_questions.csv", rqs, list(rqs[0]))
    themes = _rows(inst / "codebook_themes.csv")
    themes.append({"rq": "RQ4", "theme_id": "support_needs", "theme_name": "Support needed",
                   "theme_order": "14"})  # fmt: skip
    _write(inst / "codebook_themes.csv", themes, list(themes[0]))
    subs = _rows(inst / "codebook_subthemes.csv")
    subs.append({"rq": "RQ4", "theme_id": "support_needs", "subtheme_id": "shared_tooling",
                 "subtheme_name": "Shared safety tooling", "short_label": "Shared tooling",
                 "subtheme_order": "35"})  # fmt: skip
    _write(inst / "codebook_subthemes.csv", subs, list(subs[0]))
    iv = copy / "data/raw/interviews"
    codes = _rows(iv / "codes.csv")
    codes.append({"code_id": "rq4_001", "rq": "RQ4", "subtheme_id": "shared_tooling",
                  "code_label": "Shared tooling: open checkers"})  # fmt: skip
    _write(iv / "codes.csv", codes, list(codes[0]))
    segs = _rows(iv / "coded_segments.csv")
    for n, pid in enumerate(["P3", "P15"], start=1):
        segs.append({"segment_id": f"x{n}", "participant_id": pid, "rq": "RQ4",
                     "code_id": "rq4_001", "subtheme_id": "shared_tooling",
                     "key_point": "Asks for shared open-source safety checkers."})  # fmt: skip
    _write(iv / "coded_segments.csv", segs, list(segs[0]))

    def edit(cfg):
        # The published registry describes the paper's design, not this one.
        cfg["paper"]["published_claims"] = None
        cfg["paper"]["published_samples"] = None

    _edit_config(copy, edit)


def _survey_only(copy: Path) -> None:
    def edit(cfg):
        for stage in ["recruitment", "interviews", "incidents"]:
            cfg[stage] = None
        cfg["paper"]["published_claims"] = None
        cfg["paper"]["published_samples"] = None

    _edit_config(copy, edit)


SNAPSHOT_DIR = "aiid-snapshot"  # beside the copy: <tmp>/snapshot/aiid-snapshot


def _snapshot_variant(copy: Path) -> None:
    import shutil

    from downstream_safety.paths import DEFAULT_AIID_SNAPSHOT

    target = copy.parent / SNAPSHOT_DIR
    shutil.copytree(DEFAULT_AIID_SNAPSHOT, target)
    for f in target.rglob("*"):
        f.chmod(0o755 if f.is_dir() else 0o644)

    def edit(cfg):
        cfg["incidents"]["aiid_snapshot"] = str(target)

    _edit_config(copy, edit)


def _has_snapshot() -> bool:
    from downstream_safety.paths import DEFAULT_AIID_SNAPSHOT

    return (DEFAULT_AIID_SNAPSHOT / "incidents.csv").is_file()


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> dict[str, Path]:
    copies = {}
    edits = [("design", _design_variant), ("survey_only", _survey_only)]
    if _has_snapshot():
        edits.append(("snapshot", _snapshot_variant))
    for name, edit in edits:
        copy = copy_workflow(tmp_path_factory.mktemp(name))
        edit(copy)
        copies[name] = copy

    def run(copy: Path) -> subprocess.CompletedProcess:
        env = env_for(copy)
        env["PYTHONPATH"] = os.pathsep.join([str(AUDIT_HOOK), env["PYTHONPATH"]])
        env["DS_OPEN_AUDIT"] = str(_audit_dir(copy))
        _audit_dir(copy).mkdir()
        return subprocess.run([SNAKEMAKE, "--cores", "1"], cwd=copy, env=env,
                              capture_output=True, text=True, timeout=1500)  # fmt: skip

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(copies, pool.map(run, copies.values()), strict=True))
    for name, res in results.items():
        assert res.returncode == 0, f"{name}:\n" + (res.stdout + res.stderr)[-8000:]
    return copies


def _audit_dir(copy: Path) -> Path:
    return copy.parent / f"{copy.name}_open_audit"


def _records(copy: Path) -> list[dict]:
    """One record per job; files opened by processes a job started (notebook
    kernels) count as opened by that job."""
    folder = _audit_dir(copy)
    jobs = {}
    for p in sorted(folder.glob("*.json")):
        r = json.loads(p.read_text())
        jobs[r["pid"]] = r
    for p in sorted(folder.glob("process-*.jsonl")):
        lines = p.read_text().splitlines()
        ppid = json.loads(lines[0])["ppid"]
        if ppid in jobs:
            opened = {json.loads(line) for line in lines[1:]}
            jobs[ppid]["opened"] = sorted(set(jobs[ppid]["opened"]) | opened)
    return list(jobs.values())


def _valid(copy: Path) -> list[dict[str, str]]:
    # The paper's screening: no "None" experience answer, description accepted.
    demo = ["ai_projects", "dl_experience", "se_experience"]
    return [
        r
        for r in _rows(copy / "data/raw/survey/wave1.csv")
        if all(r[q] != "None" for q in demo) and r["description_verdict"] == "accept"
    ]


def test_seven_point_scale(variants):
    copy = variants["design"]
    code = {lab: i for i, lab in enumerate(AGREEMENT7, start=1)}
    answers = [code[r["agr_knowledge_gap"]] for r in _valid(copy) if r["agr_knowledge_gap"] in code]
    summary = {(r["wave"], r["item_id"]): r
               for r in _rows(copy / "data/processed/survey/item_summary.csv")}  # fmt: skip
    row = summary[("all", "agr_knowledge_gap")]
    assert float(row["mean"]) == pytest.approx(mean(answers), abs=1e-8)
    assert float(row["pct_top2"]) == pytest.approx(
        100 * sum(a >= 6 for a in answers) / len(answers), abs=1e-7)  # fmt: skip
    levels = [r for r in _rows(copy / "data/processed/survey/item_levels.csv")
              if r["wave"] == "all" and r["item_id"] == "agr_knowledge_gap"]  # fmt: skip
    assert [int(r["count"]) for r in levels] == [answers.count(k) for k in range(1, 8)]
    table1 = (copy / "paper/tables/table1.csv").read_text()
    assert "7-point scale: from Strongly disagree to Strongly agree" in table1
    assert (copy / "paper/figures/figure5_challenges.pdf").stat().st_size > 0


def test_two_contexts(variants):
    copy = variants["design"]
    tests = [r for r in _rows(copy / "data/processed/survey/practice_tests.csv")
             if r["wave"] == "all"]  # fmt: skip
    assert len(tests) == 8
    assert {(r["concern_a"], r["concern_b"]) for r in tests} == {("behaviour", "data")}
    freq = {lab: i for i, lab in enumerate(
        ["I don't do this at all", "I do this occasionally", "I do this frequently",
         "I prioritise this as a critical task"], start=1)}  # fmt: skip
    valid = _valid(copy)

    def item_mean(col):
        return mean(freq[r[col]] for r in valid if r[col] in freq)

    expected = (item_mean("freq_documentation__data")
                + item_mean("freq_documentation__behaviour")) / 2  # fmt: skip
    table3 = {r["subtheme_id"]: r for r in _rows(copy / "paper/tables/table3.csv")}
    assert float(table3["documentation"]["survey_score"]) == pytest.approx(expected, abs=1e-8)


def test_fourth_research_question(variants):
    copy = variants["design"]
    per_rq = {r["rq"]: int(r["n_codes"])
              for r in _rows(copy / "data/processed/interviews/codes_per_rq.csv")}  # fmt: skip
    assert per_rq["RQ4"] == 1
    subs = {
        r["subtheme_id"]: int(r["n_participants"])
        for r in _rows(copy / "data/processed/interviews/subtheme_participants.csv")
    }
    assert subs["shared_tooling"] == 2
    sat = {(r["rq"], r["method"]) for r in
           _rows(copy / "data/processed/interviews/saturation_summary.csv")}  # fmt: skip
    assert ("RQ4", "guest2006") in sat
    table3 = {r["subtheme_id"]: r for r in _rows(copy / "paper/tables/table3.csv")}
    assert table3["shared_tooling"]["rq"] == "RQ4"
    assert table3["shared_tooling"]["n_participants"] == "2"
    assert "Needs" in (copy / "paper/tables/table3.md").read_text()


def test_stages_switched_off_and_no_published_numbers(variants):
    copy = variants["survey_only"]
    for stage in ["recruitment", "interviews", "incidents"]:
        assert not (copy / "data/processed" / stage).exists(), stage
    assert not (copy / "paper/claims.csv").exists()
    assert not (copy / "paper/audit.csv").exists()
    screening = {r["wave"]: r for r in _rows(copy / "data/processed/survey/screening.csv")}
    assert screening["all"]["valid"] == "86"
    table3 = _rows(copy / "paper/tables/table3.csv")
    assert table3 and all(r.get("n_incidents", "") == "" for r in table3)
    assert (copy / "paper/numbers.tex").exists()


# --- the DAG declares what each job reads ---------------------------------------

# Files a job may open without declaring them: the workflow's own shipped files
# and Snakemake's bookkeeping are not study inputs.
NOT_STUDY_FILES = (".snakemake/", "src/", "workflow/", "notebooks/")


def _study_files(copy: Path, paths) -> set[str]:
    out = set()
    root = str(copy.resolve()) + os.sep
    # The snapshot variant's AIID snapshot sits beside the copy: its files are study inputs.
    snap = str((copy.parent / SNAPSHOT_DIR).resolve()) + os.sep
    for p in paths:
        if p.startswith(root):
            rel = p[len(root) :]
            if not rel.startswith(NOT_STUDY_FILES) and os.path.isfile(p):
                out.add(rel)
        elif p.startswith(snap) and os.path.isfile(p):
            out.add("<snapshot>/" + p[len(snap) :])
    return out


@pytest.mark.parametrize("name", ["design", "survey_only", "snapshot"])
def test_jobs_read_only_declared_files(variants, name):
    if name not in variants:
        pytest.skip("the shared AIID snapshot is not beside the repository")
    copy = variants[name]
    records = _records(copy)
    assert len(records) > 20 if name != "survey_only" else len(records) > 8
    if name == "snapshot":
        rules = {r["rule"] for r in records}
        assert {"incidents_snapshot", "incidents_real"} <= rules
        snap_reads = {
            f for r in records if r["rule"] == "incidents_snapshot" for f in
            _study_files(copy, r["opened"]) if f.startswith("<snapshot>/")
        }  # fmt: skip
        assert snap_reads == {"<snapshot>/incidents.csv", "<snapshot>/classifications_MIT.csv"}
    undeclared = []
    for r in records:
        declared = _study_files(copy, r["input"] + r["output"] + r["log"])
        opened = _study_files(copy, r["opened"])
        # Atomic writes go through a temporary file beside each output.
        extra = {f for f in opened - declared if not Path(f).name.startswith(".")}
        if extra:
            undeclared.append(f"{r['rule']}: {sorted(extra)}")
    assert not undeclared, "jobs opened files they did not declare:\n" + "\n".join(undeclared)


def _dry_run_rules(copy: Path) -> set[str]:
    cmd = [SNAKEMAKE, "-n", "--cores", "1", "--quiet", "rules"]
    res = subprocess.run(cmd, cwd=copy, env=env_for(copy), capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    # The summary table lists "rule  count"; the aggregate rule 'all' is not a job step.
    rules = set()
    for line in (res.stdout + res.stderr).splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit() and parts[0] not in {"all", "total", "job"}:
            rules.add(parts[0])
    return rules


@pytest.mark.parametrize(
    "touched",
    [
        "data/raw/interviews/codes.csv",
        "data/raw/instruments/survey_contexts.csv",
        "data/raw/incidents/mit_crosswalk.csv",
        "data/raw/survey/wave1.csv",
    ],
)
def test_changing_an_input_reruns_exactly_its_readers(variants, touched):
    copy = variants["design"]
    assert _dry_run_rules(copy) == set(), "the finished run should be up to date"
    records = _records(copy)
    # Expected: the jobs that opened the file, then every job that opened one of
    # their outputs, and so on (from what the jobs really read, not the DAG).
    # Jobs, not rules: jobs of one rule (e.g. one per design view) read different files.
    changed, expected, reached = {touched}, set(), set()
    while True:
        grew = False
        for i, r in enumerate(records):
            if i not in reached and _study_files(copy, r["opened"]) & changed:
                reached.add(i)
                expected.add(r["rule"])
                changed |= _study_files(copy, r["output"])
                grew = True
        if not grew:
            break
    assert expected, f"no job read {touched}"
    # Snakemake compares checksums of small inputs, so the change must be a real
    # one: a trailing empty line, which every reader of the CSV skips.
    path = copy / touched
    before, stat = path.read_bytes(), path.stat()
    try:
        path.write_bytes(before + b"\n")
        assert _dry_run_rules(copy) == expected
    finally:
        path.write_bytes(before)
        os.utime(path, (stat.st_atime, stat.st_mtime))


def test_changed_keyword_rules_stop_the_run(variants):
    """The extract's suggestions were made with the committed rules: any byte
    changed in the rules (even a trailing empty line) stops the run at parse
    time, naming both files and the fix."""
    copy = variants["design"]
    path = copy / "data/raw/incidents/keyword_rules.csv"
    before, stat = path.read_bytes(), path.stat()
    try:
        path.write_bytes(before + b"\n")
        cmd = [SNAKEMAKE, "-n", "--cores", "1", "--quiet", "rules"]
        res = subprocess.run(cmd, cwd=copy, env=env_for(copy), capture_output=True, text=True)
        out = res.stdout + res.stderr
        assert res.returncode != 0, out
        assert "keyword_rules.csv" in out and "keyword_suggestions.csv" in out, out[-3000:]
        assert "aiid-extract SNAPSHOT" in out, out[-3000:]
    finally:
        path.write_bytes(before)
        os.utime(path, (stat.st_atime, stat.st_mtime))
    assert _dry_run_rules(copy) == set()
