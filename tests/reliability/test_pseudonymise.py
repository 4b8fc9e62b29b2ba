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


# A survey platform's export (tests/survey/platform_fixture.py), pseudonymised as it comes.
HAND_DROPPED = ["IPAddress", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
                "ExternalReference", "LocationLatitude", "LocationLongitude", "STUDY_ID",
                "SESSION_ID", "Q9_TEXT"]  # fmt: skip


def _hmac_pseudonym(value: str) -> str:
    """Independent of the module: HMAC-SHA256 with the hex salt's bytes, 16 digits."""
    import hashlib
    import hmac

    return "p" + hmac.new(SALT.encode(), value.encode(), hashlib.sha256).hexdigest()[:16]


def _csv_rows(path):
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.fixture
def platform_export(tmp_path):
    from tests.survey.platform_fixture import write_export

    return write_export(ROOT / "data/raw/survey/wave1.csv", tmp_path / "export")


def test_platform_export_keeps_headers_and_drops_personal_columns(
    tmp_path, salt_file, platform_export
):
    src = platform_export["export"]
    out = tmp_path / "pseudonymised.csv"
    res = _run("--salt-file", salt_file, "--format", "qualtrics", "--column", "PROLIFIC_PID",
               src, out)  # fmt: skip
    assert res.returncode == 0, res.stderr
    before, after = _csv_rows(src), _csv_rows(out)
    kept = [i for i, n in enumerate(before[0]) if n not in HAND_DROPPED]
    assert len(kept) == len(before[0]) - 10
    for line in range(3):  # names, question texts, import ids
        assert after[line] == [before[line][i] for i in kept]
    assert len(after) == len(before)
    rid, pid = before[0].index("ResponseId"), before[0].index("PROLIFIC_PID")
    for old, new in zip(before[3:], after[3:], strict=True):
        row = dict(zip(after[0], new, strict=True))
        assert row["ResponseId"] == _hmac_pseudonym(old[rid])
        assert row["PROLIFIC_PID"] == _hmac_pseudonym(old[pid])
        for i, name in enumerate(before[0]):
            if name not in ("ResponseId", "PROLIFIC_PID") and i in kept:
                assert row[name] == old[i]
    text = out.read_text(encoding="utf-8")
    assert not [v for v in platform_export["personal"] if v in text]


def test_platform_export_reads_like_the_pseudonymised_plain_wave(
    tmp_path, salt_file, platform_export
):
    """ResponseId is hashed as respondent_id is: the two routes still give one wave."""
    from downstream_safety.survey.load import read_wave
    from tests.survey.helpers import paper_design

    e = platform_export
    paths = {k: tmp_path / f"{k}.csv" for k in ("plain", "export", "verdicts")}
    runs = [
        ("--column", "respondent_id", ROOT / "data/raw/survey/wave1.csv", paths["plain"]),
        ("--format", "qualtrics", e["export"], paths["export"]),
        ("--column", "respondent_id", e["verdicts"], paths["verdicts"]),
    ]
    for args in runs:
        res = _run("--salt-file", salt_file, *args)
        assert res.returncode == 0, res.stderr
    plain = read_wave("wave1", paths["plain"], paper_design())
    export = read_wave("wave1", paths["export"], paper_design(), fmt="qualtrics",
                       columns=e["columns"], verdicts=paths["verdicts"])  # fmt: skip
    assert export.responses.equals(plain.responses)
    assert export.nonresponses == {"excluded_preview": 5, "excluded_unfinished": 2}


@pytest.mark.bad_input
def test_platform_export_unknown_column_is_named(tmp_path, salt_file, platform_export):
    out = tmp_path / "out.csv"
    res = _run("--salt-file", salt_file, "--format", "qualtrics", "--column", "prolific_pid",
               platform_export["export"], out)  # fmt: skip
    assert res.returncode == 1
    assert "export.csv" in res.stderr and "prolific_pid" in res.stderr and "fix:" in res.stderr
    assert not out.exists()
