"""Each mistake the issue lists stops loading with the file, the row and a fix,
and a rule's outputs are written all-or-nothing."""

import shutil

import pandas as pd
import pandera.pandas as pa
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.interviews.outputs import write_tables
from tests.interviews.helpers import INTERVIEWS, load_paper

pytestmark = pytest.mark.bad_input


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "interviews"
    shutil.copytree(INTERVIEWS, folder)
    return folder


def edit_line(path, line_no, old, new):
    lines = path.read_text().splitlines(keepends=True)
    assert old in lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("".join(lines))


def error_of(folder) -> str:
    with pytest.raises(InputError) as err:
        load_paper("csv", folder)
    return str(err.value)


def test_participant_missing(raw):
    p = raw / "participants.csv"
    lines = p.read_text().splitlines(keepends=True)
    p.write_text("".join(line for line in lines if not line.startswith("P7,")))
    msg = error_of(raw)
    assert "coded_segments.csv" in msg and "participants.csv" in msg and "'P7'" in msg
    seg = pd.read_csv(raw / "coded_segments.csv")
    first = int(seg.index[seg["participant_id"] == "P7"][0]) + 2
    assert f"rows:    {first}," in msg


def test_unknown_code(raw):
    edit_line(raw / "coded_segments.csv", 5, ",rq2_021,", ",rq2_999,")
    msg = error_of(raw)
    assert "code that is not defined" in msg and "rows:    5 " in msg and "rq2_999" in msg


def test_unknown_subtheme(raw):
    p = raw / "coded_segments.csv"
    edit_line(p, 5, ",user_feedback,", ",user_feedbak,")
    msg = error_of(raw)
    assert "not in the codebook" in msg and "rows:    5 " in msg and "fix:" in msg


def test_code_assigned_to_two_subthemes_in_code_list(raw):
    p = raw / "codes.csv"
    with p.open("a") as fh:
        fh.write("rq1_001,RQ1,pretrain_data,Duplicate placement\n")
    msg = error_of(raw)
    assert "codes.csv" in msg and "two or more subthemes" in msg
    assert "rows:    2, 186 " in msg


def test_code_assigned_to_another_subtheme_by_a_segment(raw):
    # line 5 holds rq2_021 (user_feedback); move it to another RQ2 subtheme
    edit_line(raw / "coded_segments.csv", 5, ",user_feedback,", ",monitor_io,")
    msg = error_of(raw)
    assert "another subtheme" in msg and "rows:    5 " in msg


def test_duplicate_segment_ids(raw):
    edit_line(raw / "coded_segments.csv", 3, "s002,", "s001,")
    msg = error_of(raw)
    assert "duplicate segment id" in msg and "rows:    2, 3 " in msg


def test_nothing_written_when_one_table_is_bad(tmp_path):
    ok = pd.DataFrame({"x": [1]})
    bad = pd.DataFrame({"x": [-1]})
    schema = pa.DataFrameSchema({"x": pa.Column(int, pa.Check.ge(0))})
    with pytest.raises(InputError):
        write_tables([(ok, tmp_path / "a.csv", schema), (bad, tmp_path / "b.csv", schema)])
    assert list(tmp_path.iterdir()) == []


# --- REFI-QDA projects as the tools write them ------------------------------
# Each fault edits the by-name project (tests/interviews/test_refi_qda_by_name.py)
# and names what the message must contain: the file, the element and the fix.

import zipfile  # noqa: E402

from lxml import etree  # noqa: E402

from downstream_safety.interviews.sources import load_coded_interviews  # noqa: E402
from tests.interviews.helpers import paper_design  # noqa: E402
from tests.interviews.test_refi_qda_by_name import tool_project  # noqa: E402

QN = "{urn:QDA-XML:project:1.0}"


def _rewrite(files: dict, change) -> None:
    """Apply ``change(root, members)`` to the project's project.qde and sources."""
    path = files["project"]
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    root = etree.fromstring(members["project.qde"])
    change(root, members)
    members["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _first(root, tag):
    return next(root.iter(QN + tag))


def _no_codings(root, members):
    for sel in list(root.iter(QN + "PlainTextSelection")):
        sel.getparent().remove(sel)


def _bad_guid(root, members):
    _first(root, "Code").set("guid", "not-a-guid")


def _emoji_nvivo(root, members):
    """Code-point offsets in a project that says NVivo: every interviewer turn starts
    with an emoji (one code point, two UTF-16 units) and a space, so the k-th passage
    moves by 2k code points, which NVivo would have counted as 3k units."""
    for src in root.iter(QN + "TextSource"):
        name = "Sources/" + src.get("plainTextPath")
        text = members[name].decode("utf-8")
        members[name] = text.replace("Interviewer:", "\U0001f600 Interviewer:").encode()
        sels = sorted(
            src.iter(QN + "PlainTextSelection"), key=lambda e: int(e.get("startPosition"))
        )
        for k, sel in enumerate(sels, start=1):
            for attr in ("startPosition", "endPosition"):
                sel.set(attr, str(int(sel.get(attr)) + 2 * k))


def _surrogate_half(root, members):
    src = _first(root, "TextSource")
    name = "Sources/" + src.get("plainTextPath")
    members[name] = ("\U0001f600" + members[name].decode("utf-8")).encode("utf-8")
    sels = list(src.iter(QN + "PlainTextSelection"))
    for sel in sels:
        for attr in ("startPosition", "endPosition"):
            sel.set(attr, str(int(sel.get(attr)) + 2))
    sels[0].set("startPosition", "1")  # inside the emoji's UTF-16 pair


def _no_cases_odd_name(root, members):
    cases = _first(root, "Cases")
    cases.getparent().remove(cases)
    _first(root, "TextSource").set("name", "Interview 3 - Alice.docx")


def _case_name_not_listed(root, members):
    _first(root, "Case").set("name", "Alice")


def _coded_with_subtheme(root, members):
    # a subtheme: folder > theme > subtheme
    sub = next(c for c in root.iter(QN + "Code")
               if len([a for a in c.iterancestors(QN + "Code")]) == 2)  # fmt: skip
    _first(root, "CodeRef").set("targetGUID", sub.get("guid"))


def _dangling_coderef(root, members):
    _first(root, "CodeRef").set("targetGUID", "00000000-0000-4000-8000-00000000dead")


def _whole_source_coding(root, members):
    src = _first(root, "TextSource")
    coding = etree.SubElement(src, QN + "Coding", guid="00000000-0000-4000-8000-00000000c0de")
    etree.SubElement(coding, QN + "CodeRef", targetGUID=_first(root, "CodeRef").get("targetGUID"))


def _coded_picture(root, members):
    sources = _first(root, "Sources")
    pic = etree.SubElement(sources, QN + "PictureSource", name="whiteboard.png",
                           guid="00000000-0000-4000-8000-0000000000aa")  # fmt: skip
    sel = etree.SubElement(pic, QN + "PictureSelection",
                           guid="00000000-0000-4000-8000-0000000000ab",
                           firstX="0", firstY="0", secondX="1", secondY="1")  # fmt: skip
    coding = etree.SubElement(sel, QN + "Coding", guid="00000000-0000-4000-8000-0000000000ac")
    etree.SubElement(coding, QN + "CodeRef", targetGUID=_first(root, "CodeRef").get("targetGUID"))


def _latin1_source(root, members):
    name = "Sources/" + _first(root, "TextSource").get("plainTextPath")
    members[name] = members[name] + "caf\xe9".encode("latin-1")


def _missing_source_file(root, members):
    src = _first(root, "TextSource")
    del members["Sources/" + src.get("plainTextPath")]


REFI_FAULTS = {
    "no_codings": (_no_codings, None, ["no coded passages", "export the project again"]),
    "schema_violation": (_bad_guid, None, ["REFI-QDA project schema", "<Code>", "not-a-guid"]),
    "offsets_of_another_convention": (
        _emoji_nvivo,
        None,
        ["do not fit the utf16 convention", "origin 'NVivo 14'", "interviews.offsets: codepoints"],
    ),
    "selection_inside_a_character": (
        _surrogate_half,
        {"offsets": "utf16"},
        ["fall inside a character", "selection"],
    ),
    "source_without_participant": (
        _no_cases_odd_name,
        None,
        [
            "source 'Interview 3 - Alice.docx'",
            "not linked to a participant",
            "interviews.participant_map",
        ],
    ),  # fmt: skip
    "participant_not_listed": (
        _case_name_not_listed,
        None,
        ["participant 'Alice' (from its case) is not listed", "participants.csv"],
    ),
    "coded_with_a_subtheme": (
        _coded_with_subtheme,
        None,
        ["coded with a theme or subtheme itself", "code_map"],
    ),
    "coderef_to_no_code": (_dangling_coderef, None, ["CodeRef(s) pointing to no code"]),
    "whole_source_coded": (_whole_source_coding, None, ["coded as a whole"]),
    "coded_picture": (_coded_picture, None, ["<PictureSource> 'whiteboard.png'", "text sources"]),
    "source_not_utf8": (_latin1_source, None, ["is not UTF-8", "Sources/"]),
    "source_file_missing": (_missing_source_file, None, ["missing from the archive", "source '"]),
}


@pytest.mark.parametrize("name", sorted(REFI_FAULTS))
def test_refi_project_fault(tmp_path, name):
    change, opts, expected = REFI_FAULTS[name]
    files = tool_project(tmp_path, rename=False)
    _rewrite(files, change)
    before = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    with pytest.raises(InputError) as err:
        load_coded_interviews("refi_qda", files, paper_design(), **(opts or {}))
    msg = str(err.value)
    assert "nvivo.qdpx" in msg and "fix:" in msg, msg
    for part in expected:
        assert part in msg, f"{part!r} not in\n{msg[:3000]}"
    assert {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()} == before


def _map_file(tmp_path, rows: str):
    path = tmp_path / "participant_map.csv"
    path.write_text("source_name,participant_id\n" + rows, encoding="utf-8")
    return str(path)


def test_participant_map_naming_no_source(tmp_path):
    files = tool_project(tmp_path, rename=False)
    files["participant_map"] = _map_file(tmp_path, "Interview 9 - Bob.docx,P9\n")
    with pytest.raises(InputError) as err:
        load_coded_interviews("refi_qda", files, paper_design())
    msg = str(err.value)
    assert "participant_map.csv" in msg and "name no source" in msg
    assert "'Interview 9 - Bob.docx'" in msg and "fix:" in msg


def test_participant_map_with_a_source_twice(tmp_path):
    files = tool_project(tmp_path, rename=False)
    files["participant_map"] = _map_file(tmp_path, "P1.txt,P1\nP1.txt,P2\n")
    with pytest.raises(InputError) as err:
        load_coded_interviews("refi_qda", files, paper_design())
    msg = str(err.value)
    assert "participant_map.csv" in msg and "given twice" in msg and "rows:    2, 3 " in msg


def test_unknown_offsets_setting(tmp_path):
    files = tool_project(tmp_path, rename=False)
    with pytest.raises(InputError, match="unknown interviews.offsets 'bytes'"):
        load_coded_interviews("refi_qda", files, paper_design(), offsets="bytes")


def test_code_map_row_naming_no_code_path(tmp_path):
    files = tool_project(tmp_path, rename=False)
    cmap = tmp_path / "code_map.csv"
    cmap.write_text("qda_path,code_id\nStudy codes/No such theme/x,rq1_001\n", encoding="utf-8")
    files["code_map"] = str(cmap)
    with pytest.raises(InputError) as err:
        load_coded_interviews("refi_qda", files, paper_design())
    msg = str(err.value)
    assert "code_map.csv" in msg and "name no code of the project" in msg
    assert "'Study codes/No such theme/x'" in msg and "fix:" in msg


def test_code_map_to_a_code_id_not_in_the_codes_table(tmp_path):
    from tests.interviews.test_refi_qda_by_name import write_code_map

    files = tool_project(tmp_path, rename=True)
    cmap = tmp_path / "code_map.csv"
    write_code_map(cmap)
    text = cmap.read_text(encoding="utf-8")
    cmap.write_text(text.rsplit(",", 1)[0] + ",rq9_999\n", encoding="utf-8")
    files["code_map"] = str(cmap)
    with pytest.raises(InputError) as err:
        load_coded_interviews("refi_qda", files, paper_design())
    msg = str(err.value)
    assert "code_map.csv" in msg and "not listed in interviews.codes" in msg and "rq9_999" in msg
