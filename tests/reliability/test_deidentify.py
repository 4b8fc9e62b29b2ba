"""`python3 repro.py deidentify`: the documented route from a platform export with
personal data to a publishable wave, run as the README says.

The export holds real-looking personal data (24-hex Prolific ids, e-mail
addresses, IP addresses, names, free text). Expectations come from the fixture's
own values and from reading the written files with csv and pyreadstat; the
pseudonyms are recomputed here with hmac.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import shutil
from pathlib import Path

import pytest
import yaml

from downstream_safety.paths import ROOT
from tests.foundation.helpers import run, tool
from tests.reliability.repro_copy import make_copy, repro

SALT = "5a" * 32
VENV = ROOT / ".venv"
TARGETS = ["data/processed/survey/screening.csv", "data/processed/survey/item_summary.csv",
           "data/processed/survey/numbers.csv", "paper/tables/survey_demographics.csv"]  # fmt: skip


def _pid(i: int) -> str:
    return hashlib.sha256(f"pid{i}".encode()).hexdigest()[:24]  # like a Prolific id


def _hmac(value: str) -> str:
    return "R_" + hmac.new(SALT.encode(), value.encode(), hashlib.sha256).hexdigest()[:16]


def _with_prolific_ids(export: Path) -> list[str]:
    """Give PROLIFIC_PID real-looking 24-hex ids; return them."""
    rows = list(csv.reader(io.StringIO(export.read_bytes().decode("utf-8-sig"))))
    col = rows[0].index("PROLIFIC_PID")
    ids = []
    for i, r in enumerate(rows[3:]):
        r[col] = _pid(i)
        ids.append(r[col])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    export.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
    return ids


@pytest.fixture(scope="module")
def route(tmp_path_factory):
    from tests.survey.platform_fixture import write_export

    tmp = tmp_path_factory.mktemp("deidentify")
    outside = tmp / "outside"  # the original stays outside the repository
    files = write_export(ROOT / "data/raw/survey/wave1.csv", outside)
    personal = [*files["personal"], *_with_prolific_ids(files["export"])]
    salt = tmp / "secrets" / "study.salt"
    salt.parent.mkdir()
    salt.write_text(SALT + "\n")
    repo = make_copy(tmp / "repo")
    cfg_path = repo / "config/config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text())
    (repo / "data/raw/survey/platform").mkdir()
    shutil.copy(files["columns"], repo / "data/raw/survey/platform/columns.csv")
    cfg["survey"]["waves"] = [{
        "id": "wave1", "responses": "data/raw/survey/wave1_export.csv", "format": "qualtrics",
        "columns": "data/raw/survey/platform/columns.csv",
        "verdicts": "data/raw/survey/platform/verdicts.csv",
    }]  # fmt: skip
    cfg["privacy"]["raw_manifest"] = None
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    (repo / "data/raw/survey/wave1.csv").unlink()
    return {"repo": repo, "files": files, "personal": personal, "salt": salt}


def test_raw_export_is_refused_by_the_gate_naming_the_command(route, tmp_path):
    """The export dropped into data/raw as it comes is stopped, and told the route."""
    repo = route["repo"]
    raw = repo / "data/raw/survey/wave1_export.csv"
    shutil.copy(route["files"]["export"], raw)
    try:
        gate = run([tool("python"), "-m", "downstream_safety.reliability.privacy", "data/raw"],
                   cwd=repo)  # fmt: skip
    finally:
        raw.unlink()
    assert gate.returncode == 1
    assert "prolific_id" in gate.stderr and "data/raw/survey/wave1_export.csv" in gate.stderr
    assert "python3 repro.py deidentify --format" in gate.stderr


@pytest.fixture(scope="module")
def deidentified(route):
    repo, files = route["repo"], route["files"]
    res = repro(repo, "deidentify", "--format", "qualtrics", "--salt-file", str(route["salt"]),
                "--verdicts", str(files["verdicts"]), str(files["export"]),
                "data/raw/survey/wave1_export.csv", venv=VENV, timeout=600)  # fmt: skip
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    return repo / "data/raw/survey/wave1_export.csv"


@pytest.mark.slow
def test_only_the_designs_columns_are_kept(route, deidentified):
    before = list(
        csv.reader(io.StringIO(route["files"]["export"].read_bytes().decode("utf-8-sig")))
    )
    after = list(csv.reader(io.StringIO(deidentified.read_bytes().decode("utf-8-sig"))))
    wave1 = next(csv.reader((ROOT / "data/raw/survey/wave1.csv").open(encoding="utf-8-sig")))
    from tests.survey.platform_fixture import RENAMED

    design_cols = {RENAMED.get(c, c) for c in wave1 if c != "respondent_id"}
    allowed = {"ResponseId", "Status", "Finished"} | design_cols
    assert set(after[0]) <= allowed and {"ResponseId", "Status", "Finished"} <= set(after[0])
    assert len(after) == len(before)
    for h in range(3):  # the three header rows are kept for the kept columns
        assert after[h] == [before[h][before[0].index(n)] for n in after[0]]
    rid_a, rid_b = after[0].index("ResponseId"), before[0].index("ResponseId")
    for a, b in zip(after[3:], before[3:], strict=True):
        assert a[rid_a] == _hmac(b[rid_b])
        for j, name in enumerate(after[0]):
            if name != "ResponseId":
                assert a[j] == b[before[0].index(name)]


@pytest.mark.slow
def test_pipeline_runs_and_no_personal_value_is_published(route, deidentified):
    repo = route["repo"]
    res = run([tool("snakemake"), "--cores", "2", "--", *TARGETS], cwd=repo, timeout=900)
    assert res.returncode == 0, res.stderr[-3000:]
    gate = run([tool("python"), "-m", "downstream_safety.reliability.privacy", "data", "paper",
                "logs"], cwd=repo)  # fmt: skip
    assert gate.returncode == 0, gate.stdout[-2000:] + gate.stderr[-2000:]
    scanned = 0
    for p in sorted(repo.rglob("*")):
        if not p.is_file() or ".venv" in p.parts:
            continue
        data = p.read_bytes()
        scanned += 1
        hits = [v for v in route["personal"] if v.encode() in data]
        assert not hits, f"{p.relative_to(repo)}: {hits[:3]}"
    assert scanned > 50
    with (repo / "data/processed/survey/screening.csv").open(newline="") as fh:
        pooled = {r["wave"]: r for r in csv.DictReader(fh)}["all"]
    assert (pooled["excluded_preview"], pooled["excluded_unfinished"]) == ("5", "2")


def test_refi_qda_is_handed_to_the_interview_stage(route, tmp_path):
    """Until that module exists the message says so; it is imported only when asked for."""
    from downstream_safety.reliability import deidentify

    try:
        import downstream_safety.interviews.refi_deidentify  # noqa: F401
    except ModuleNotFoundError:
        code = deidentify.main(["--format", "refi_qda", "--salt-file", str(route["salt"]),
                                "p.qdpx", str(tmp_path / "out")])  # fmt: skip
        assert code == 2
    else:  # handed over: the interview stage names the missing project
        code = deidentify.main(["--format", "refi_qda", "--salt-file", str(route["salt"]),
                                str(tmp_path / "p.qdpx"), str(tmp_path / "out")])  # fmt: skip
        assert code == 1 and not (tmp_path / "out").exists()


@pytest.mark.bad_input
def test_wrong_format_for_the_configured_wave_is_refused(route, tmp_path, capsys):
    from downstream_safety.reliability import deidentify

    out = tmp_path / "wave.csv"
    cfg = yaml.safe_load((route["repo"] / "config/config.yaml").read_text())
    cfg["survey"]["waves"][0]["responses"] = str(out)
    cfg_file = tmp_path / "config.yaml"
    cfg_file.write_text(yaml.safe_dump(cfg))
    args = ["--format", "limesurvey", "--salt-file", str(route["salt"]), "--config", str(cfg_file)]
    code = deidentify.main([*args, str(route["files"]["export"]), str(out)])
    assert code == 1 and not out.exists()
    err = capsys.readouterr().err
    assert "survey.waves[].format" in err and "qualtrics" in err and "fix:" in err


@pytest.mark.parametrize("fmt", ["spss", "limesurvey", "qualtrics_legacy", "qualtrics_tsv"])
def test_each_format_keeps_its_format_and_reads_the_same(tmp_path, fmt):
    """The de-identified file reads as the original does, with the ids hashed."""
    from downstream_safety.reliability.deidentify import deidentify
    from downstream_safety.survey.load import read_wave
    from tests.survey import format_fixtures as FX
    from tests.survey.helpers import paper_design

    values = None
    if fmt == "spss":
        src = FX.write_spss(tmp_path)
    elif fmt == "limesurvey":
        src, values = FX.write_limesurvey(tmp_path)
    else:
        src = FX.write_qualtrics(tmp_path, layout="legacy" if fmt.endswith("legacy") else "current",
                                 numeric=False, tsv=fmt.endswith("tsv"))  # fmt: skip
    kind = fmt.split("_")[0]
    out = tmp_path / "public" / f"wave{src.suffix}"
    out.parent.mkdir()
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    cfg["instruments"]["folder"] = str(ROOT / "data/raw/instruments")
    cfg["privacy"]["deny_list"] = str(ROOT / cfg["privacy"]["deny_list"])
    cfg["survey"]["waves"] = [{"id": "wave1", "responses": str(out), "format": kind}]
    dropped = deidentify(kind, src, out, SALT.encode(), cfg)
    assert dropped  # the personal metadata columns
    before = read_wave("wave1", src, paper_design(), fmt=kind, values=values)
    after = read_wave("wave1", out, paper_design(), fmt=kind, values=values)
    assert after.nonresponses == before.nonresponses
    expect = before.responses.assign(respondent_id=before.responses["respondent_id"].map(_hmac))
    assert after.responses.drop(columns="respondent_id").equals(
        expect.drop(columns="respondent_id")
    )
    assert sorted(after.responses["respondent_id"]) == sorted(expect["respondent_id"])
    data = out.read_bytes()
    for i in range(len(FX.EXTRA) + FX.respondents()):
        for v in FX.personal(i).values():
            assert v.encode() not in data and v.encode("utf-16-le") not in data
    if src.suffix == ".tsv":
        assert data.startswith(b"\xff\xfe")
    if fmt == "spss":
        assert data[:4] in (b"$FL2", b"$FL3")
