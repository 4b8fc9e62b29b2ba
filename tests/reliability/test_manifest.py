"""The raw manifest: pins, the update and check commands, what they report, and
which files count as raw inputs (the files the config names plus the pinned ones)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import subprocess

import pytest
import yaml

from downstream_safety.common.errors import InputError
from downstream_safety.paths import ROOT
from downstream_safety.reliability import manifest

MANIFEST = "data/raw/MANIFEST.sha256"
NAMED = ["data/raw/survey/wave1.csv"]


@pytest.fixture
def root(tmp_path, monkeypatch):
    raw = tmp_path / "data" / "raw"
    (raw / "survey").mkdir(parents=True)
    (raw / "README.md").write_text("reconstructed data\n")
    (raw / "survey" / "wave1.csv").write_bytes(b"id,x\n1,2\n")
    (raw / "survey" / "__pycache__").mkdir()
    (raw / "survey" / "__pycache__" / "junk.pyc").write_bytes(b"\x00")
    (tmp_path / "config").mkdir()
    config = {
        "survey": {"waves": [{"id": "wave1", "responses": "data/raw/survey/wave1.csv"}]},
        "privacy": {"raw_manifest": MANIFEST, "deny_list": "config/deny.txt"},
    }
    (tmp_path / "config" / "config.yaml").write_text(yaml.safe_dump(config))
    (tmp_path / "config" / "deny.txt").write_text("Jane Roe\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _cli(*args):
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = manifest.main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_update_pins_every_raw_file_in_sha256sum_format(root):
    assert _cli("--update")[0] == 0
    text = (root / MANIFEST).read_text()
    expected = "".join(
        f"{hashlib.sha256((root / p).read_bytes()).hexdigest()}  {p}\n"
        for p in ["data/raw/README.md", "data/raw/survey/wave1.csv"]
    )
    assert text == expected
    if shutil.which("sha256sum"):
        res = subprocess.run(["sha256sum", "-c", "--strict", MANIFEST], cwd=root)
        assert res.returncode == 0
    assert _cli("--check")[0] == 0


def test_changed_pinned_file_is_refused_by_name(root):
    manifest.update(MANIFEST)
    (root / "data/raw/survey/wave1.csv").write_bytes(b"id,x\n1,3\n")
    with pytest.raises(InputError) as info:
        manifest.require_pinned_unchanged(MANIFEST, NAMED)
    msg = str(info.value)
    assert "data/raw/survey/wave1.csv" in msg and "--update" in msg
    code, _, err = _cli("--check")
    assert code == 1 and "data/raw/survey/wave1.csv" in err


def test_deleted_pinned_file_is_refused(root):
    manifest.update(MANIFEST)
    (root / "data/raw/README.md").unlink()
    with pytest.raises(InputError, match="missing: data/raw/README.md"):
        manifest.require_pinned_unchanged(MANIFEST, NAMED)


def test_new_file_is_used_and_reported_unpinned(root):
    manifest.update(MANIFEST)
    (root / "data/raw/survey/wave2.csv").write_bytes(b"id,x\n9,9\n")
    named = [*NAMED, "data/raw/survey/wave2.csv"]
    status = manifest.require_pinned_unchanged(MANIFEST, named)
    assert status.unpinned == ["data/raw/survey/wave2.csv"]
    assert (
        "data/raw/survey/wave2.csv",
        status.actual["data/raw/survey/wave2.csv"],
        "unpinned",
    ) in (status.rows())
    config = yaml.safe_load((root / "config/config.yaml").read_text())
    config["survey"]["waves"].append({"id": "wave2", "responses": "data/raw/survey/wave2.csv"})
    (root / "config/config.yaml").write_text(yaml.safe_dump(config))
    code, out, _ = _cli("--check")
    assert (
        code == 0
        and "unpinned (used, not covered by the manifest): data/raw/survey/wave2.csv" in out
    )


def test_inputs_are_the_named_files_and_the_pinned_ones(root):
    (root / "data/raw/instruments").mkdir()
    (root / "data/raw/instruments/a.csv").write_text("x\n1\n")
    (root / "data/raw/unrelated.csv").write_text("x\n1\n")
    config = {
        "instruments": {"folder": "data/raw/instruments"},
        "survey": {"waves": [{"id": "w", "responses": "data/raw/survey/wave1.csv"}]},
        "incidents": {"aiid_snapshot": "data/raw"},  # read from outside, never an input
        "privacy": {"raw_manifest": MANIFEST, "deny_list": "config/deny.txt"},
    }
    named = manifest.named_inputs(config)
    assert named == ["data/raw/instruments/a.csv", "data/raw/survey/wave1.csv"]
    manifest.update(MANIFEST, ["data/raw/README.md"])
    status = manifest.check(MANIFEST, named)
    assert sorted(status.actual) == ["data/raw/README.md", *named]  # unrelated.csv is not
    assert status.unpinned == named


def test_no_manifest_means_nothing_is_pinned(root):
    status = manifest.require_pinned_unchanged(None, NAMED)
    assert status.ok and status.pinned == {} and status.unpinned == NAMED
    config = yaml.safe_load((root / "config/config.yaml").read_text())
    config["privacy"]["raw_manifest"] = None
    (root / "config/config.yaml").write_text(yaml.safe_dump(config))
    code, out, _ = _cli("--check")
    assert code == 0 and "nothing is pinned" in out


def test_update_of_given_paths_keeps_other_pins(root):
    manifest.update(MANIFEST, ["data/raw/README.md"])
    assert list(manifest.read_manifest(MANIFEST)) == ["data/raw/README.md"]
    (root / "data/raw/README.md").write_text("edited\n")
    (root / "data/raw/survey/wave1.csv").write_bytes(b"id,x\n5,5\n")
    manifest.update(MANIFEST, ["data/raw/survey"])
    pins = manifest.read_manifest(MANIFEST)
    assert sorted(pins) == ["data/raw/README.md", "data/raw/survey/wave1.csv"]
    with pytest.raises(InputError, match="README.md"):  # README was not re-pinned
        manifest.require_pinned_unchanged(MANIFEST, NAMED)


def test_update_outside_raw_is_refused(root):
    with pytest.raises(InputError, match="only files under data/raw/"):
        manifest.update(MANIFEST, ["config/config.yaml"])


def test_malformed_manifest_line_is_named(root):
    manifest.update(MANIFEST)
    path = root / MANIFEST
    path.write_text(path.read_text() + "not a checksum line\n")
    with pytest.raises(InputError) as info:
        manifest.read_manifest(MANIFEST)
    assert "rows:    3 " in str(info.value)


def test_shipped_manifest_matches_the_shipped_files(monkeypatch):
    monkeypatch.chdir(ROOT)
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    named = manifest.named_inputs(config)
    status = manifest.require_pinned_unchanged(config["privacy"]["raw_manifest"], named)
    assert status.pinned, "data/raw/MANIFEST.sha256 pins nothing"
    assert all(name.startswith("data/raw/") for name in status.pinned)
    assert set(named) <= set(status.pinned)  # every input of the paper study is pinned
