"""Manifest writing, reading and comparison; which files count as generated."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from downstream_safety.paper import verify


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def test_manifest_roundtrip_and_sha256sum_format(tmp_path):
    _tree(tmp_path, {"paper/claims.csv": "a\n", "data/processed/x/numbers.csv": "b\n"})
    h = verify.hashes(tmp_path, ["paper/claims.csv", "data/processed/x/numbers.csv"])
    assert h["paper/claims.csv"] == hashlib.sha256(b"a\n").hexdigest()
    text = verify.format_manifest(h)
    assert text.splitlines()[0].endswith("  data/processed/x/numbers.csv")  # sorted by path
    (tmp_path / "m.sha256").write_text(text)
    assert verify.read_manifest(tmp_path / "m.sha256") == h


def test_compare_names_every_difference():
    problems = verify.compare({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "x", "d": "4"})
    assert problems == [
        "differs: b",
        "missing (in the manifest, not produced): c",
        "new (produced, not in the manifest): d",
    ]
    assert verify.compare({"a": "1"}, {"a": "1"}) == []


def test_exclusions():
    assert verify._excluded("notebooks/executed/survey.html")
    assert verify._excluded("paper/report.html")
    assert verify._excluded("paper/main.pdf")
    assert verify._excluded("paper/main.aux")
    assert verify._excluded("data/processed/__pycache__/x.pyc")
    assert not verify._excluded("paper/figures/figure1_study_design.pdf")
    assert not verify._excluded("data/processed/paper/numbers.csv")


@pytest.mark.skipif(subprocess.run(["git", "--version"]).returncode != 0, reason="no git")
def test_generated_files_are_the_git_ignored_outputs(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    _tree(
        tmp_path,
        {
            ".gitignore": "data/processed/\npaper/tables/\npaper/report.html\nlogs/\n",
            "data/raw/x.csv": "raw\n",
            "data/processed/x/numbers.csv": "n\n",
            "paper/tables/table3.csv": "t\n",
            "paper/main.tex": "m\n",
            "paper/report.html": "r\n",
            "logs/x.log": "l\n",
        },
    )
    assert verify.generated_files(tmp_path) == [
        "data/processed/x/numbers.csv",
        "paper/tables/table3.csv",
    ]
    dest = tmp_path / "copy"
    verify.copy_sources(tmp_path, dest)
    copied = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert "data/raw/x.csv" in copied and "paper/main.tex" in copied
    assert not any(c.startswith(("data/processed", "paper/tables", "logs")) for c in copied)
    assert "paper/report.html" not in copied


def test_update_and_current_modes(tmp_path, capsys):
    _tree(tmp_path, {"data/processed/a.csv": "1\n", "paper/claims.csv": "c\n"})
    # Without git the fallback list of output locations applies.
    assert verify.main(["--update", "--root", str(tmp_path)]) == 0
    assert verify.main(["--current", "--root", str(tmp_path)]) == 0
    (tmp_path / "paper/claims.csv").write_text("changed\n")
    assert verify.main(["--current", "--root", str(tmp_path)]) == 1
    assert "differs: paper/claims.csv" in capsys.readouterr().out
