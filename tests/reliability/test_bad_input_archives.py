"""Faults in containers and external layouts: REFI-QDA projects (.qdpx) and AIID snapshots."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.paths import DEFAULT_AIID_SNAPSHOT, RAW
from tests.reliability import faults as F

QDPX = RAW / "interviews" / "coded_interviews.qdpx"


def _rebuild(src: Path, dest: Path, change) -> None:
    """Copy a zip member by member, letting ``change`` edit the {name: bytes} mapping."""
    with zipfile.ZipFile(src) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    members = change(members)
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _huge_member(m):
    from downstream_safety.interviews import refi_qda

    # Zeros deflate to a few kilobytes: the archive is small, its content is not.
    return {**m, "sources/huge.txt": b"\0" * (refi_qda.MAX_MEMBER_BYTES + 1)}


def _relayout(m):
    qde = m["project.qde"].replace(b"<Project", b"<Projekt").replace(b"</Project>", b"</Projekt>")
    return {**m, "project.qde": qde}


QDPX_FAULTS = {
    "not_a_zip": (None, "not a zip archive"),
    "path_traversal": (lambda m: {**m, "../../outside.txt": b"x"}, "path traversal"),
    "zip_bomb_member": (_huge_member, "larger than"),
    "changed_layout": (_relayout, "Project"),
    "missing_project": (lambda m: {k: v for k, v in m.items() if k != "project.qde"}, "project"),
    "truncated_xml": (
        lambda m: {**m, "project.qde": m["project.qde"][: len(m["project.qde"]) // 2]},
        "not well-formed",
    ),
}


@pytest.mark.bad_input
@pytest.mark.parametrize("name", sorted(QDPX_FAULTS))
def test_qdpx_fault(tmp_path, name):
    from downstream_safety.instruments.design import design_tables, load_design
    from downstream_safety.interviews.sources import load_coded_interviews

    if not QDPX.exists():
        pytest.skip("no REFI-QDA project shipped")
    folder = tmp_path / "interviews"
    shutil.copytree(QDPX.parent, folder)
    change, expected = QDPX_FAULTS[name]
    target = folder / QDPX.name
    if change is None:
        target.write_bytes(b"this is not a zip archive\n")
    else:
        _rebuild(QDPX, target, change)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(InputError) as info:
        load_coded_interviews(
            "refi_qda",
            {"project": target, "participants": folder / "participants.csv"},
            load_design(design_tables(QDPX.parents[1] / "instruments")),
        )
    msg = str(info.value)
    assert QDPX.name in msg and "fix:" in msg, msg
    assert expected.lower() in msg.lower(), msg
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert not (tmp_path.parent / "outside.txt").exists()


SNAPSHOT_FAULTS = {
    "renamed_column": ("incidents.csv", lambda t: t.replace(",title", ",Title", 1), "title"),
    "missing_mit_column": (
        "classifications_MIT.csv",
        lambda t: t.replace("Risk Subdomain", "Subdomain", 1),
        "Risk Subdomain",
    ),
    "bad_json_array": (
        "incidents.csv",
        lambda t: t.replace('"[', '"{', 1),
        "JSON",
    ),
}


@pytest.mark.snapshot
@pytest.mark.bad_input
@pytest.mark.parametrize("name", sorted(SNAPSHOT_FAULTS))
def test_snapshot_with_changed_layout(tmp_path, name):
    from downstream_safety.incidents.snapshot import load_incidents, load_mit

    if not DEFAULT_AIID_SNAPSHOT.is_dir():
        pytest.skip("the AIID snapshot is not beside the repository")
    folder = tmp_path / "snapshot"
    folder.mkdir()
    for f in ["incidents.csv", "classifications_MIT.csv"]:
        shutil.copy2(DEFAULT_AIID_SNAPSHOT / f, folder / f)
    file, change, expected = SNAPSHOT_FAULTS[name]
    path = folder / file
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text, "the fault did not apply to this snapshot"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_incidents(folder)
        load_mit(folder)
    msg = str(info.value)
    assert file in msg and expected in msg and "fix:" in msg, msg


def _export_files(layout: str, tmp_path: Path) -> dict:
    """The fixture's export, written afresh into ``tmp_path``."""
    if layout == "qualtrics":
        from tests.survey.platform_fixture import write_export

        return write_export(RAW / "survey" / "wave1.csv", tmp_path / "export")
    from tests.interviews.test_refi_qda_by_name import tool_project

    return tool_project(tmp_path, rename=False)


def _load_export(layout: str, files: dict):
    from downstream_safety.interviews.sources import load_coded_interviews
    from downstream_safety.survey.load import read_wave
    from tests.survey.helpers import paper_design

    if layout == "qualtrics":
        return read_wave("wave1", files["export"], paper_design(), fmt="qualtrics",
                         columns=files["columns"], verdicts=files["verdicts"])  # fmt: skip
    from tests.interviews.helpers import paper_design as interview_design

    return load_coded_interviews("refi_qda", files, interview_design())


@pytest.mark.bad_input
@pytest.mark.parametrize("fault", F.EXPORT_FAULTS, ids=lambda f: f.name)
def test_export_fault(tmp_path, fault):
    files = _export_files(fault.layout, tmp_path)
    _load_export(fault.layout, files)  # the intact export loads
    expect = fault.apply(files)
    before = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    with pytest.raises(InputError) as info:
        _load_export(fault.layout, files)
    problems = F.check_export_error(info.value, expect)
    assert not problems, f"{'; '.join(problems)}\n--- message ---\n{str(info.value)[:3000]}"
    after = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    assert after == before, "the loader wrote or changed files"
