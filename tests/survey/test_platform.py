"""Survey-platform exports: the paper's wave 1 given as the platform writes it.

Expected values come from the same answers in the plain format (read through
the plain route) and from counting the fixture's rows with the csv module.
"""

from __future__ import annotations

import csv

import pytest
import yaml

from downstream_safety.common.errors import InputError
from downstream_safety.paths import ROOT
from downstream_safety.survey.load import read_wave
from tests.foundation.helpers import run, tool
from tests.survey.helpers import paper_design
from tests.survey.platform_fixture import write_export
from tests.survey.test_workflow import _copy

WAVE1 = ROOT / "data/raw/survey/wave1.csv"


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return write_export(WAVE1, tmp_path_factory.mktemp("export"))


def _read(export, **kw):
    args = {"columns": export["columns"], "verdicts": export["verdicts"], **kw}
    return read_wave("wave1", export["export"], paper_design(), fmt="qualtrics", **args)


def test_export_reads_as_the_plain_wave(export):
    plain = read_wave("wave1", WAVE1, paper_design())
    wave = _read(export)
    assert wave.responses.equals(plain.responses)
    # Independent count of the non-responses with the csv module.
    with export["export"].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[3:]
    head = next(csv.reader(export["export"].open(encoding="utf-8-sig", newline="")))
    st, fin = head.index("Status"), head.index("Finished")
    preview = sum(r[st] in ("Survey Preview", "Survey Test", "Spam") for r in rows)
    unfinished = sum(r[st] == "IP Address" and r[fin] == "False" for r in rows)
    assert (preview, unfinished) == (export["preview"], export["unfinished"]) == (5, 2)
    assert wave.nonresponses == {"excluded_preview": 5, "excluded_unfinished": 2}
    assert len(rows) == len(plain.responses) + 7


def test_personal_columns_never_reach_the_frame(export):
    wave = _read(export)
    text = wave.responses.to_csv() + " ".join(wave.extra_columns)
    assert not [v for v in export["personal"] if v in text]


@pytest.mark.bad_input
def test_unmapped_export_tag_is_named(export, tmp_path):
    bad = tmp_path / "columns.csv"
    bad.write_text("export_tag,item_id\nQ2,ai_projects\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        _read(export, columns=bad)
    msg = str(err.value)
    assert "required column(s) missing" in msg
    assert "imp_finetune_data" in msg and "freq_user_feedback__data" in msg


def _platform_config(dest, export):
    cfg_path = dest / "config/config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text())
    folder = dest / "data/raw/survey/platform"
    folder.mkdir(parents=True)
    for key in ("export", "columns", "verdicts"):
        (folder / export[key].name).write_bytes(export[key].read_bytes())
    cfg["survey"]["waves"] = [
        {
            "id": "wave1",
            "responses": "data/raw/survey/platform/export.csv",
            "format": "qualtrics",
            "columns": "data/raw/survey/platform/columns.csv",
            "verdicts": "data/raw/survey/platform/verdicts.csv",
        }
    ]
    cfg["privacy"]["raw_manifest"] = None
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))


SAME = ["item_summary.csv", "item_levels.csv", "practice_tests.csv", "demographics.csv"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory, export):
    plain, platform = tmp_path_factory.mktemp("plain"), tmp_path_factory.mktemp("platform")
    _copy(plain)
    _copy(platform)
    _platform_config(platform, export)
    for dest in (plain, platform):
        res = run([tool("snakemake"), "--cores", "2"], cwd=dest, timeout=900)
        assert res.returncode == 0, res.stderr[-3000:]
    res = run([tool("snakemake"), "--report", "paper/report.html"], cwd=platform, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    return plain, platform


@pytest.mark.slow
def test_platform_statistics_equal_the_plain_route(runs):
    plain, platform = runs
    for name in SAME:
        a = (plain / "data/processed/survey" / name).read_bytes()
        b = (platform / "data/processed/survey" / name).read_bytes()
        assert a == b, name


@pytest.mark.slow
def test_screening_counts_nonresponses_first(runs, export):
    plain, platform = runs
    with (plain / "data/processed/survey/screening.csv").open(newline="") as fh:
        ref = {r["wave"]: r for r in csv.DictReader(fh)}
    with (platform / "data/processed/survey/screening.csv").open(newline="") as fh:
        reader = csv.DictReader(fh)
        got = {r["wave"]: r for r in reader}
        header = reader.fieldnames
    rules = [c for c in next(iter(ref.values())) if c.startswith("excluded_")]
    assert header == ["wave", "recruited", "excluded_preview", "excluded_unfinished", *rules,
                      "valid"]  # fmt: skip
    for wave in ("wave1", "all"):
        assert int(got[wave]["recruited"]) == int(ref[wave]["recruited"]) + 7
        assert (got[wave]["excluded_preview"], got[wave]["excluded_unfinished"]) == ("5", "2")
        for col in [*rules, "valid"]:
            assert got[wave][col] == ref[wave][col]


@pytest.mark.slow
def test_no_personal_value_in_any_output(runs, export):
    _, platform = runs
    scanned = 0
    for sub in ("data/processed", "paper", "logs", ".snakemake/log"):
        for p in sorted((platform / sub).rglob("*")):
            if not p.is_file():
                continue
            data = p.read_bytes()
            scanned += 1
            hits = [v for v in export["personal"] if v.encode() in data]
            assert not hits, f"{p.relative_to(platform)}: {hits[:3]}"
    assert (platform / "paper/report.html").exists() and scanned > 20
    gate = run([tool("python"), "-m", "downstream_safety.reliability.privacy", "data/processed",
                "paper", "logs"], cwd=platform, timeout=300)  # fmt: skip
    assert gate.returncode == 0, gate.stdout[-2000:] + gate.stderr[-2000:]
