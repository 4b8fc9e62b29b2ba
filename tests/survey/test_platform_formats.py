"""The paper's wave 1 as each platform writes it reads as the plain wave.

The exports are written by tests/survey/format_fixtures.py with csv and
pyreadstat; the expected frame is the plain wave read through the plain route,
and the expected non-response counts are the fixture's own rows, counted here
with the csv module. The slow tests run the survey rules by config alone and
compare the statistics byte for byte with the plain run.
"""

from __future__ import annotations

import codecs
import csv
import io

import pytest
import yaml

from downstream_safety.survey.load import read_wave
from tests.foundation.helpers import run, tool
from tests.survey import format_fixtures as FX
from tests.survey.helpers import paper_design
from tests.survey.test_workflow import _copy


@pytest.fixture(scope="module")
def plain():
    return read_wave("wave1", FX.WAVE1, paper_design())


def _values(tmp_path):
    _, _, item_scale, _ = FX.wave()
    return FX.numeric_values_csv(tmp_path / "values.csv", item_scale)


def _count_rows(path, delimiter=",", header_rows=3, encoding="utf-8-sig"):
    """(previews/tests/spam, unfinished) counted with csv from the file's bytes."""
    text = path.read_bytes().decode(encoding)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    names = rows[header_rows - 1] if header_rows == 2 else rows[0]
    st, fin = names.index("Status"), names.index("Finished")
    body = rows[header_rows:]
    normal = ("0", "IP Address")
    preview = sum(r[st] not in normal for r in body)
    unfinished = sum(r[st] in normal and r[fin] in ("0", "False") for r in body)
    return preview, unfinished


CASES = [
    ("current_numeric", {"layout": "current", "numeric": True}),
    ("current_text", {"layout": "current", "numeric": False}),
    ("legacy_numeric", {"layout": "legacy", "numeric": True}),
    ("legacy_text", {"layout": "legacy", "numeric": False}),
    ("tsv_utf16_text", {"layout": "current", "numeric": False, "tsv": True}),
    ("tsv_utf16_numeric", {"layout": "current", "numeric": True, "tsv": True}),
]


@pytest.mark.parametrize("kw", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_qualtrics_layouts_read_as_the_plain_wave(tmp_path, plain, kw, caplog):
    path = FX.write_qualtrics(tmp_path, **kw)
    values = _values(tmp_path) if kw["numeric"] else None
    with caplog.at_level("INFO"):
        wave = read_wave("wave1", path, paper_design(), fmt="qualtrics", values=values)
    assert wave.responses.equals(plain.responses)
    tsv = kw.get("tsv", False)
    counts = _count_rows(path, "\t" if tsv else ",", 3 if kw["layout"] == "current" else 2,
                         "utf-16" if tsv else "utf-8-sig")  # fmt: skip
    assert counts == (FX.N_PREVIEW, FX.N_UNFINISHED)
    assert wave.nonresponses == {"excluded_preview": counts[0], "excluded_unfinished": counts[1]}
    log = caplog.text
    assert ("legacy export" if kw["layout"] == "legacy" else "current export") in log
    assert ("numeric values" if kw["numeric"] else "choice text") in log
    assert ("UTF-16" if tsv else "UTF-8") in log


def test_spss_reads_as_the_plain_wave(tmp_path, plain):
    wave = read_wave("wave1", FX.write_spss(tmp_path), paper_design(), fmt="spss")
    assert wave.responses.equals(plain.responses)
    assert wave.nonresponses == {"excluded_preview": FX.N_PREVIEW,
                                 "excluded_unfinished": FX.N_UNFINISHED}  # fmt: skip


@pytest.mark.parametrize("full", [True, False], ids=["code_and_text", "codes"])
def test_limesurvey_reads_as_the_plain_wave(tmp_path, plain, full):
    path, values = FX.write_limesurvey(tmp_path, full_headings=full)
    wave = read_wave("wave1", path, paper_design(), fmt="limesurvey", values=values)
    assert wave.responses.equals(plain.responses)
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    empty_submit = sum(r[1] == "" for r in rows[1:])
    assert empty_submit == len(FX.EXTRA)
    assert wave.nonresponses == {"excluded_preview": 0, "excluded_unfinished": empty_submit}


def test_limesurvey_comma_separated_full_texts(tmp_path, plain):
    """Answers as full texts and commas: no values file needed."""
    rows, _, _, columns = FX.wave()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "submitdate", "ipaddr", *columns])
    for r in rows:
        w.writerow(
            [r["respondent_id"], "2024-09-02 10:00:00", "192.0.2.1", *(r[c] for c in columns)]
        )
    path = tmp_path / "export.csv"
    path.write_bytes(codecs.BOM_UTF8 + buf.getvalue().encode("utf-8"))
    wave = read_wave("wave1", path, paper_design(), fmt="limesurvey")
    assert wave.responses.equals(plain.responses)


# Through the survey rules, by config alone --------------------------------------

SAME = ["item_summary.csv", "item_levels.csv", "practice_tests.csv", "demographics.csv"]
TARGETS = ["data/processed/survey/numbers.csv", "data/processed/survey/screening.csv",
           "data/processed/survey/item_summary.csv"]  # fmt: skip


def _configure(dest, wave: dict, files: dict):
    folder = dest / "data/raw/survey/export"
    folder.mkdir(parents=True)
    for key, src in files.items():
        (folder / src.name).write_bytes(src.read_bytes())
        wave[key] = f"data/raw/survey/export/{src.name}"
    cfg_path = dest / "config/config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text())
    cfg["survey"]["waves"] = [{"id": "wave1", **wave}]
    cfg["privacy"]["raw_manifest"] = None
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))


def _exports(tmp):
    """format -> (wave entry without paths, {config key: file})."""
    out = {}
    d = tmp / "qualtrics_numeric"
    d.mkdir()
    out["qualtrics_numeric"] = ({"format": "qualtrics"},
                                {"responses": FX.write_qualtrics(d, layout="current",
                                                                 numeric=True),
                                 "values": _values(d)})  # fmt: skip
    d = tmp / "qualtrics_legacy"
    d.mkdir()
    out["qualtrics_legacy"] = ({"format": "qualtrics"},
                               {"responses": FX.write_qualtrics(d, layout="legacy",
                                                                numeric=True),
                                "values": _values(d)})  # fmt: skip
    d = tmp / "spss"
    d.mkdir()
    out["spss"] = ({"format": "spss"}, {"responses": FX.write_spss(d)})
    d = tmp / "limesurvey"
    d.mkdir()
    path, values = FX.write_limesurvey(d)
    out["limesurvey"] = ({"format": "limesurvey"}, {"responses": path, "values": values})
    return out


@pytest.fixture(scope="module")
def format_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("formats")
    plain_dir = tmp / "plain"
    plain_dir.mkdir()
    _copy(plain_dir)
    dests = {"plain": plain_dir}
    exports = _exports(tmp)
    for name, (wave, files) in exports.items():
        dest = tmp / f"run_{name}"
        dest.mkdir()
        _copy(dest)
        _configure(dest, dict(wave), files)
        dests[name] = dest
    for name, dest in dests.items():
        res = run([tool("snakemake"), "--cores", "2", "--", *TARGETS], cwd=dest, timeout=900)
        assert res.returncode == 0, f"{name}: {res.stderr[-3000:]}"
    return dests


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["qualtrics_numeric", "qualtrics_legacy", "spss", "limesurvey"])
def test_statistics_equal_the_plain_route(format_runs, fmt):
    for name in SAME:
        a = (format_runs["plain"] / "data/processed/survey" / name).read_bytes()
        b = (format_runs[fmt] / "data/processed/survey" / name).read_bytes()
        assert a == b, f"{fmt}: {name}"
    with (format_runs[fmt] / "data/processed/survey/screening.csv").open(newline="") as fh:
        got = {r["wave"]: r for r in csv.DictReader(fh)}
    with (format_runs["plain"] / "data/processed/survey/screening.csv").open(newline="") as fh:
        ref = {r["wave"]: r for r in csv.DictReader(fh)}
    preview = 0 if fmt == "limesurvey" else FX.N_PREVIEW
    unfinished = len(FX.EXTRA) if fmt == "limesurvey" else FX.N_UNFINISHED
    for w in ("wave1", "all"):
        assert int(got[w]["recruited"]) == int(ref[w]["recruited"]) + preview + unfinished
        assert (int(got[w]["excluded_preview"]), int(got[w]["excluded_unfinished"])) == (
            preview,
            unfinished,
        )
        assert got[w]["valid"] == ref[w]["valid"]
