"""data/raw/MANIFEST.sha256: pins, the update and check commands, and what they report."""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import subprocess

import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.paths import ROOT
from downstream_safety.reliability import manifest


@pytest.fixture
def root(tmp_path):
    raw = tmp_path / "data" / "raw"
    (raw / "survey").mkdir(parents=True)
    (raw / "README.md").write_text("reconstructed data\n")
    (raw / "survey" / "wave1.csv").write_bytes(b"id,x\n1,2\n")
    (raw / "survey" / "__pycache__").mkdir()
    (raw / "survey" / "__pycache__" / "junk.pyc").write_bytes(b"\x00")
    return tmp_path


def _cli(*args):
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = manifest.main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_update_pins_every_raw_file_in_sha256sum_format(root):
    assert _cli("--update", "--root", root)[0] == 0
    text = (root / "data/raw/MANIFEST.sha256").read_text()
    expected = "".join(
        f"{hashlib.sha256((root / p).read_bytes()).hexdigest()}  {p}\n"
        for p in ["data/raw/README.md", "data/raw/survey/wave1.csv"]
    )
    assert text == expected
    if shutil.which("sha256sum"):
        res = subprocess.run(["sha256sum", "-c", "--strict", "data/raw/MANIFEST.sha256"], cwd=root)
        assert res.returncode == 0
    assert _cli("--check", "--root", root)[0] == 0


def test_changed_pinned_file_is_refused_by_name(root):
    manifest.update(root)
    (root / "data/raw/survey/wave1.csv").write_bytes(b"id,x\n1,3\n")
    with pytest.raises(InputError) as info:
        manifest.require_pinned_unchanged(root)
    msg = str(info.value)
    assert "data/raw/survey/wave1.csv" in msg and "--update" in msg
    code, _, err = _cli("--check", "--root", root)
    assert code == 1 and "data/raw/survey/wave1.csv" in err


def test_deleted_pinned_file_is_refused(root):
    manifest.update(root)
    (root / "data/raw/README.md").unlink()
    with pytest.raises(InputError, match="missing: data/raw/README.md"):
        manifest.require_pinned_unchanged(root)


def test_new_file_is_used_and_reported_unpinned(root):
    manifest.update(root)
    (root / "data/raw/survey/wave2.csv").write_bytes(b"id,x\n9,9\n")
    status = manifest.require_pinned_unchanged(root)
    assert status.unpinned == ["data/raw/survey/wave2.csv"]
    assert (
        "data/raw/survey/wave2.csv",
        status.actual["data/raw/survey/wave2.csv"],
        "unpinned",
    ) in (status.rows())
    code, out, _ = _cli("--check", "--root", root)
    assert (
        code == 0
        and "unpinned (used, not covered by the manifest): data/raw/survey/wave2.csv" in out
    )


def test_update_of_given_paths_keeps_other_pins(root):
    manifest.update(root, ["data/raw/README.md"])
    assert list(manifest.read_manifest(root)) == ["data/raw/README.md"]
    (root / "data/raw/README.md").write_text("edited\n")
    (root / "data/raw/survey/wave1.csv").write_bytes(b"id,x\n5,5\n")
    manifest.update(root, ["data/raw/survey"])
    pins = manifest.read_manifest(root)
    assert sorted(pins) == ["data/raw/README.md", "data/raw/survey/wave1.csv"]
    with pytest.raises(InputError, match="README.md"):  # README was not re-pinned
        manifest.require_pinned_unchanged(root)


def test_update_outside_raw_is_refused(root):
    with pytest.raises(InputError, match="only files under data/raw/"):
        manifest.update(root, ["config/config.yaml"])


def test_malformed_manifest_line_is_named(root):
    manifest.update(root)
    path = root / "data/raw/MANIFEST.sha256"
    path.write_text(path.read_text() + "not a checksum line\n")
    with pytest.raises(InputError) as info:
        manifest.read_manifest(root)
    assert "rows:    3 " in str(info.value)


def test_shipped_manifest_matches_the_shipped_files():
    status = manifest.require_pinned_unchanged(ROOT)
    assert status.pinned, "data/raw/MANIFEST.sha256 pins nothing"
    assert all(name.startswith("data/raw/") for name in status.pinned)
