"""Pseudonymisation: keyed hashing with a salt kept outside the repository."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import stat
import subprocess
import sys

import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.paths import ROOT
from downstream_safety.reliability import privacy
from downstream_safety.reliability.pseudonymise import main, pseudonym, read_salt

SALT = "3f" * 32


def _run(*args):
    """The command's main() in-process (fast); one test below runs the real module."""
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main([str(a) for a in args])
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@pytest.fixture
def salt_file(tmp_path):
    path = tmp_path / "secrets" / "study.salt"
    path.parent.mkdir()
    path.write_text(SALT + "\n")
    return path


def _rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_hmac_matches_rfc4231_vector():
    # RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert pseudonym("what do ya want for nothing?", b"Jefe", length=64, prefix="") == expected
    assert pseudonym("  what do ya want for nothing? ", b"Jefe", length=8, prefix="p") == (
        "p" + expected[:8]
    )
    assert pseudonym("   ", b"Jefe") == ""


def test_command_replaces_columns_and_keeps_joins(tmp_path, salt_file):
    export = tmp_path / "export.csv"
    export.write_text(
        "prolific_id,email,answer\n"
        "5f1a2b3c4d5e6f7a8b9c0d1e,ann@example.org,Agree\n"
        "60aa2b3c4d5e6f7a8b9c0d2f,,Disagree\n"
        "5f1a2b3c4d5e6f7a8b9c0d1e,ann@example.org,Neutral\n",
        encoding="utf-8",
    )
    other = tmp_path / "other.csv"
    other.write_text("prolific_id,score\n60aa2b3c4d5e6f7a8b9c0d2f,3\n", encoding="utf-8")
    out, out2 = tmp_path / "out" / "wave.csv", tmp_path / "out" / "other.csv"
    for src, dst, cols in [(export, out, ["prolific_id", "email"]), (other, out2, ["prolific_id"])]:
        res = _run("--salt-file", salt_file, *[a for c in cols for a in ("--column", c)], src, dst)
        assert res.returncode == 0, res.stderr
    rows = _rows(out)
    assert [r["answer"] for r in rows] == ["Agree", "Disagree", "Neutral"]
    assert rows[0]["prolific_id"] == rows[2]["prolific_id"] != rows[1]["prolific_id"]
    assert rows[1]["email"] == ""
    assert _rows(out2)[0]["prolific_id"] == rows[1]["prolific_id"]  # joins survive
    assert all(r["prolific_id"].startswith("p") and len(r["prolific_id"]) == 17 for r in rows)
    text = out.read_text()
    assert "5f1a2b3c" not in text and "ann@" not in text
    assert privacy.scan_text("wave.csv", text, None) == []  # the gate passes the result
    assert export.read_text().startswith("prolific_id,email,answer\n5f1a")  # input untouched


def test_different_salt_gives_different_pseudonyms(tmp_path, salt_file):
    export = tmp_path / "export.csv"
    export.write_text("pid\nabc\n")
    other_salt = tmp_path / "other.salt"
    other_salt.write_text("7a" * 32)
    outs = []
    for i, salt in enumerate([salt_file, other_salt]):
        out = tmp_path / f"out{i}.csv"
        assert _run("--salt-file", salt, "--column", "pid", export, out).returncode == 0
        outs.append(_rows(out)[0]["pid"])
    assert outs[0] != outs[1]


def test_salt_inside_this_repository_is_refused():
    with pytest.raises(InputError) as info:
        read_salt(ROOT / "config" / "study.salt")
    assert "inside a repository" in str(info.value)
    res = subprocess.run(
        [sys.executable, "-m", "downstream_safety.reliability.pseudonymise"]
        + ["--salt-file", "config/study.salt", "--column", "x", "a.csv", "b.csv"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 1 and "inside a repository" in res.stderr


def test_salt_inside_any_git_work_tree_is_refused(tmp_path):
    (tmp_path / "other_repo" / ".git").mkdir(parents=True)
    salt = tmp_path / "other_repo" / "keys" / "s.salt"
    salt.parent.mkdir()
    salt.write_text(SALT)
    with pytest.raises(InputError, match="inside a repository"):
        read_salt(salt)


def test_short_or_missing_salt_is_refused(tmp_path):
    short = tmp_path / "short.salt"
    short.write_text("abc\n")
    with pytest.raises(InputError, match="too short"):
        read_salt(short)
    with pytest.raises(InputError, match="does not exist"):
        read_salt(tmp_path / "none.salt")


def test_unknown_column_names_file_and_column(tmp_path, salt_file):
    export = tmp_path / "export.csv"
    export.write_text("pid,answer\n1,x\n")
    out = tmp_path / "out.csv"
    res = _run("--salt-file", salt_file, "--column", "prolific_id", export, out)
    assert res.returncode == 1
    assert "export.csv" in res.stderr and "prolific_id" in res.stderr and "fix:" in res.stderr
    assert not out.exists()


def test_new_salt_is_private_and_never_overwritten(tmp_path):
    path = tmp_path / "keys" / "new.salt"
    assert _run("--new-salt", path).returncode == 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(read_salt(path)) == 64
    before = path.read_bytes()
    res = _run("--new-salt", path)
    assert res.returncode == 1 and path.read_bytes() == before
    assert _run("--new-salt", ROOT / "new.salt").returncode == 1
    assert not (ROOT / "new.salt").exists()


# A survey platform's export goes through `repro.py deidentify` (test_deidentify.py).


@pytest.mark.bad_input
def test_without_columns_points_to_deidentify(tmp_path, salt_file, capsys):
    """No --column: a platform export's route is named in the usage error."""
    with pytest.raises(SystemExit) as exit_:
        main(["--salt-file", str(salt_file), str(ROOT / "data/raw/survey/wave1.csv"),
              str(tmp_path / "o.csv")])  # fmt: skip
    assert exit_.value.code == 2
    assert "repro.py deidentify" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()
