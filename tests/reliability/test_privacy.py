"""The privacy gate catches planted personal data in every kind of file; shipped data passes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from downstream_safety.paths import ROOT
from downstream_safety.reliability import privacy

EMAIL = "kateryna.participant@mailbox-example.org"
PHONE = "+44 20 7946 0958"
NAME = "Kateryna Oduya"  # deny-listed in these tests
PLANTS = {"email": EMAIL, "phone": PHONE, "name": NAME}


def _csv(plant: str) -> tuple[bytes, int]:
    return f"respondent_id,comment\nr001,fine\nr002,ask {plant} later\n".encode(), 3


def _markdown(plant: str) -> tuple[bytes, int]:
    return f"# Notes\n\nSome context.\n\n- contact: {plant}\n".encode(), 5


def _latex(plant: str) -> tuple[bytes, int]:
    typeset = plant.replace(" ", "~") if plant == NAME else plant
    body = f"\\section{{Results}}\nAs \\emph{{{typeset}}} said,\nthe end.\n"
    return body.encode(), 2


def _json(plant: str) -> tuple[bytes, int]:
    text = json.dumps({"wave": "wave1", "notes": ["ok", f"from {plant}"]}, indent=2)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if plant in ln)
    return text.encode(), line


def _svg(plant: str) -> tuple[bytes, int]:
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">\n'
        '<path d="M 353 981 Q 353 1791 775 591"/>\n'
        f'<text x="10" y="20">{plant}</text>\n'
        "</svg>\n"
    )
    return body.encode(), 4


def _qdpx(plant: str) -> tuple[bytes, int]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "project.qde",
            '<?xml version="1.0"?>\n<Project name="study">\n<Users/>\n</Project>\n',
        )
        zf.writestr("sources/0001.txt", f"Interviewer: hello.\nP7: I am {plant}.\n")
    return buf.getvalue(), 2


KINDS = {
    "data.csv": _csv,
    "notes.md": _markdown,
    "main.tex": _latex,
    "meta.json": _json,
    "figure.svg": _svg,
    "coded.qdpx": _qdpx,
}


def _scan(paths, deny=(NAME,), allow=()):
    return privacy.scan_paths([Path(p) for p in paths], list(deny), list(allow))


@pytest.mark.parametrize("kind", sorted(PLANTS))
@pytest.mark.parametrize("filename", sorted(KINDS))
def test_planted_data_is_caught(tmp_path, filename, kind):
    content, line = KINDS[filename](PLANTS[kind])
    path = tmp_path / filename
    path.write_bytes(content)
    result = _scan([path])
    assert len(result.hits) == 1, result.hits
    hit = result.hits[0]
    assert hit.kind == kind
    assert hit.line == line
    assert hit.file.startswith(str(path)) or hit.file.endswith(filename) or filename in hit.file
    if filename.endswith(".qdpx"):
        assert hit.file.endswith("coded.qdpx!sources/0001.txt")
    expected = PLANTS[kind].casefold() if kind == "name" else PLANTS[kind]
    assert hit.match.replace("~", " ") == expected


@pytest.mark.parametrize("filename", sorted(KINDS))
def test_clean_files_pass(tmp_path, filename):
    content, _ = KINDS[filename]("nobody in particular")
    (tmp_path / filename).write_bytes(content)
    assert _scan([tmp_path]).hits == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("see https://www.linkedin.com/in/kateryna-o-123/ for more", "profile_url"),
        ("code at https://github.com/koduya", "profile_url"),
        ("model card: huggingface.co/koduya", "profile_url"),
        ("posted on x.com/koduya/status/123", "profile_url"),
        ("twitter.com/koduya", "profile_url"),
        ("PROLIFIC_PID=5f1a2b3c4d5e6f7a8b9c0d1e", "prolific_id"),
        ("Phone: 555 123 4567", "phone"),
        ("(555) 123-4567", "phone"),
        ("030 1234 5678", "phone"),
        ("+442079460958", "phone"),
        ("write to k.o+survey@uni.example.ac.uk", "email"),
    ],
)
def test_other_identifiers_are_caught(text, kind):
    assert [k for k, _ in privacy.scan_line(text, None)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "d9831670cad55737270daac6051a42defaef5d1ce7605103baed38e0b68bbc65  data/raw/x.csv",
        "doi: 10.48550/arXiv.2503.19444 and 10.1145/3597503.3639187",
        "snakemake==9.27.1, pandas 3.1.1, Python 3.11.7",
        "AIID incident 1234, report 5678, dates 2025-03-24 and 14:55:13",
        "p = 0.0123456789, W = +1.234567890, n = 1,234,567",
        '<path d="M 353 981 Q 353 1791 775 591 L 123 456 7890"/>',
        "https://github.com/snakemake/snakemake and huggingface.co/meta-llama/Llama-3-8B",
        "https://huggingface.co/docs/hub and https://github.com/features",
        "git commit 9a0525c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7 (40 hex digits)",
        "uuid 035494D2-F968-5519-9F27-9B3764D090C7",
    ],
)
def test_no_false_positives_on_data_like_text(text):
    assert list(privacy.scan_line(text, None)) == []


def test_latin1_file_is_scanned(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes(f"id,name\n1,Jos\xe9 {NAME}\n".encode("latin-1"))
    assert [h.kind for h in _scan([path]).hits] == ["name"]


def test_binary_files_are_listed_not_scanned(tmp_path):
    path = tmp_path / "figure.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + EMAIL.encode())
    result = _scan([path])
    assert result.hits == []
    assert result.files == [(str(path), "binary", 0)]


def test_oversized_zip_member_is_reported_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(privacy, "MAX_MEMBER_BYTES", 1000)
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", "0" * 100_000)
    hits = _scan([path]).hits
    assert [(h.kind, h.file.endswith("bomb.qdpx!project.qde")) for h in hits] == [
        ("unscannable", True)
    ]


def test_path_traversing_member_is_scanned_without_extracting(tmp_path):
    path = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../outside.txt", f"mail {EMAIL}\n")
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    hits = _scan([path]).hits
    assert [h.kind for h in hits] == ["email"]
    assert hits[0].file.endswith("evil.qdpx!../../outside.txt")
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before


def test_allow_rules_excuse_only_what_they_name(tmp_path):
    (tmp_path / "a.csv").write_text(f"x\n{EMAIL}\n5f1a2b3c4d5e6f7a8b9c0d1e\n")
    (tmp_path / "b.csv").write_text("x\n5f1a2b3c4d5e6f7a8b9c0d1f\n")
    rules = privacy.parse_allow(
        [
            {"kind": "email", "match": r"kateryna\.participant@.*", "reason": "test"},
            {"kind": "prolific_id", "files": "*/b.csv", "reason": "object ids"},
        ]
    )
    result = _scan([tmp_path], allow=rules)
    assert [(Path(h.file).name, h.kind) for h in result.hits] == [("a.csv", "prolific_id")]
    assert {Path(f).name: n for f, _, n in result.files} == {"a.csv": 1, "b.csv": 1}


def test_bad_allow_regex_names_the_entry():
    with pytest.raises(privacy.InputError) as info:
        privacy.parse_allow([{"kind": "email", "match": "(", "reason": "x"}])
    assert "privacy.allow entry 1" in str(info.value)


def test_missing_deny_list_is_an_input_error(tmp_path):
    with pytest.raises(privacy.InputError) as info:
        privacy.read_deny_list(tmp_path / "nope.txt")
    assert "nope.txt" in str(info.value) and "fix:" in str(info.value)


def test_deny_list_file_format(tmp_path):
    path = tmp_path / "deny.txt"
    path.write_text("# comment\n\n  Kateryna Oduya  \nMüller\n", encoding="utf-8")
    assert privacy.read_deny_list(path) == ["Kateryna Oduya", "Müller"]


def test_command_fails_listing_each_hit(tmp_path):
    content, line = _csv(EMAIL)
    (tmp_path / "a.csv").write_bytes(content)
    (tmp_path / "b.md").write_bytes(_markdown(PHONE)[0])
    res = subprocess.run(
        [sys.executable, "-m", "downstream_safety.reliability.privacy", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 1
    assert "2 hit(s)" in res.stderr
    assert "a.csv" in res.stderr and EMAIL in res.stderr and f"rows:    {line} " in res.stderr
    assert "b.md" in res.stderr and PHONE in res.stderr


def test_shipped_data_and_paper_pass():
    """Everything under data/ and paper/ passes with the repository's own configuration."""
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["privacy"]
    deny = privacy.read_deny_list(ROOT / cfg["deny_list"])
    allow = privacy.parse_allow(cfg.get("allow"))
    result = privacy.scan_paths([ROOT / "data", ROOT / "paper"], deny, allow)
    assert result.hits == [], privacy.hits_error(result.hits)
    assert any(f.endswith(".qdpx") for f, how, _ in result.files if how == "zip") or not list(
        (ROOT / "data").rglob("*.qdpx")
    )


def test_repository_allow_list_is_narrow():
    """The shipped exceptions cover only the libraries inside Snakemake's HTML report."""
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["privacy"]
    rules = privacy.parse_allow(cfg.get("allow"))
    assert all(r.reason.strip() for r in rules)

    def allowed(file, kind, match):
        return any(r.allows(privacy.Hit(file, 1, kind, match)) for r in rules)

    assert allowed("paper/report.html", "email", "someone@example.org")
    assert not allowed("paper/tables/table2.md", "email", "someone@example.org")
    assert not allowed("data/processed/survey/items.csv", "email", "someone@example.org")
    assert not allowed("paper/report.html", "prolific_id", "5f1a2b3c4d5e6f7a8b9c0d1e")
    assert not allowed("paper/report.html", "name", NAME.casefold())


def test_spss_file_cells_are_scanned(tmp_path):
    """A .sav is binary, but its cells hold text: a Prolific id in one is found."""
    import pandas as pd
    import pyreadstat

    path = tmp_path / "export.sav"
    pid = "5f3c2a1b9d8e7f6a5b4c3d2e"
    pyreadstat.write_sav(pd.DataFrame({"PROLIFIC_PID": ["", pid], "Q1": [1.0, 2.0]}), str(path))
    how, hits = privacy.scan_bytes("data/raw/survey/export.sav", path.read_bytes(), None)
    assert how == "spss"
    assert [(h.kind, h.match) for h in hits] == [("prolific_id", pid)]
    msg = str(privacy.hits_error(hits))
    assert "python3 repro.py deidentify --format" in msg and "export.sav" in msg


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "header",
    [
        "_id,incident_id,date,reports,Alleged deployer of AI system,"
        "Alleged developer of AI system,Alleged harmed or nearly harmed parties,description,title",
        "Namespace,Incident ID,Published,Annotator,"
        "Notes (special interest intangible harm),Deployed",
    ],
)
def test_aiid_full_export_layout_is_refused(tmp_path, header):
    path = tmp_path / "data" / "raw" / "incidents" / "snapshot.csv"
    path.parent.mkdir(parents=True)
    path.write_text(header + "\n" + ",".join("x" for _ in header.split(",")) + "\n")
    res = privacy.scan_paths([tmp_path], [], [])
    assert [h.kind for h in res.hits] == ["aiid_texts"]
    err = privacy.hits_error(res.hits)
    assert "aiid-extract" in err.fix and err.rows == [1]


def test_committed_aiid_extract_passes_the_layout_check():
    folder = ROOT / "data" / "raw" / "incidents" / "aiid"
    for name in ("incidents.csv", "classifications_MIT.csv", "cset_annotators.csv"):
        text = (folder / name).read_text(encoding="utf-8")
        assert privacy.aiid_layout_hits(f"data/raw/incidents/aiid/{name}", text) == []
