"""A REFI-QDA project as the QDA tools write it: codes known by name under a folder,
memos in <Description>, participants as Cases, interviewer turns between the coded
passages, sources under Sources/ with relative paths, and one renamed code.

The expected aggregates are those of the same coding given as CSV.
"""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from lxml import etree

from downstream_safety.common.errors import InputError
from downstream_safety.interviews import aggregate, refi_qda
from downstream_safety.interviews.sources import load_coded_interviews
from reconstruction import refi_qda_writer
from tests.interviews.helpers import interview_files, load_paper, paper_design

NS = {"q": refi_qda.NS}
TURN = "Interviewer: Could you say a little more about that?\n"
RENAMED_FROM = "Fine-tuning data: consent for people's images"
RENAMED_TO = "consent for images (FT)"


def tool_project(tmp_path, rename: bool = True) -> dict:
    """The shipped coding written in the by-name convention, then edited as a tool would."""
    files = interview_files()
    codes = pd.read_csv(files["codes"], dtype=str, keep_default_na=False)
    segs = pd.read_csv(files["segments"], dtype=str, keep_default_na=False)
    parts = pd.read_csv(files["participants"], dtype=str, keep_default_na=False)
    xml, texts = refi_qda_writer.build_project(
        codes, segs, paper_design(), parts["participant_id"].tolist(), convention="names"
    )
    root = etree.fromstring(xml)
    root.set("origin", "NVivo 14")
    q = lambda t: f"{{{refi_qda.NS}}}{t}"  # noqa: E731
    # A folder above the themes, and memos everywhere.
    codes_el = root.find("q:CodeBook/q:Codes", NS)
    folder = etree.SubElement(codes_el, q("Code"), guid="00000000-0000-4000-8000-0000000000f0",
                              name="Study codes", isCodable="false")  # fmt: skip
    for theme in codes_el.findall("q:Code", NS)[:-1]:
        folder.append(theme)
    for code in root.iter(q("Code")):
        memo = etree.SubElement(code, q("Description"))
        memo.text = f"memo on {code.get('name')}"
        code.insert(0, memo)
        if rename and code.get("name") == RENAMED_FROM:
            code.set("name", RENAMED_TO)
    # Interviewer turns before every passage: offsets move by one turn per passage.
    members = {}
    for src in root.iter(q("TextSource")):
        member = src.get("plainTextPath").removeprefix("internal://")
        lines = texts[f"sources/{member}"].splitlines(keepends=True)
        members[f"Sources/{member}"] = "".join(TURN + line for line in lines)
        src.set("plainTextPath", member)  # relative, not internal://
        for k, sel in enumerate(sorted(src.findall("q:PlainTextSelection", NS),
                                       key=lambda e: int(e.get("startPosition")))):  # fmt: skip
            for attr in ("startPosition", "endPosition"):
                sel.set(attr, str(int(sel.get(attr)) + (k + 1) * len(TURN)))
            memo = etree.SubElement(sel, q("Description"))
            memo.text = "coder's memo: revisit"
            sel.insert(0, memo)
    path = tmp_path / "nvivo.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8"))
        for name, text in sorted(members.items()):
            zf.writestr(name, text.encode("utf-8"))
    out = {k: str(v) for k, v in files.items()}
    out["project"] = str(path)
    return out


def _aggregates(c):
    return [
        aggregate.subtheme_participants(c.segments, c.codebook),
        aggregate.codes_per_rq(c.codes, c.codebook.rqs),
        aggregate.theme_participants(c.segments, c.codes, c.codebook),
        aggregate.participant_subtheme_matrix(c.segments, c.participants, c.codebook),
    ]


def write_code_map(path) -> str:
    """code_map.csv mapping the renamed code's name path back to its code id."""
    code_id = (
        pd.read_csv(interview_files()["codes"]).set_index("code_label").at[RENAMED_FROM, "code_id"]
    )
    design = paper_design()
    sub = design.subthemes.set_index("subtheme_id")
    theme = sub.at["finetune_data", "theme_id"]
    tname = design.themes.set_index("theme_id").at[theme, "theme_name"]
    sname = sub.at["finetune_data", "subtheme_name"]
    path.write_text(
        f"qda_path,code_id\nStudy codes/{tname}/{sname}/{RENAMED_TO},{code_id}\n",
        encoding="utf-8",
    )
    return str(path)


def test_by_name_project_gives_the_csv_aggregates(tmp_path):
    files = tool_project(tmp_path)
    design = paper_design()
    cmap = write_code_map(tmp_path / "code_map.csv")
    files["code_map"] = cmap
    csv_route = load_paper("csv")
    by_name = load_coded_interviews("refi_qda", files, design)
    pd.testing.assert_frame_equal(csv_route.segments, by_name.segments)
    pd.testing.assert_frame_equal(csv_route.codes, by_name.codes)
    for a, b in zip(_aggregates(csv_route), _aggregates(by_name), strict=True):
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.bad_input
def test_unmapped_code_listed_with_suggestion(tmp_path):
    files = tool_project(tmp_path)
    with pytest.raises(InputError) as err:
        load_coded_interviews("refi_qda", files, paper_design())
    msg = str(err.value)
    assert "map to no theme, subtheme or code" in msg and RENAMED_TO in msg
    assert "code_map.csv" in msg


def test_writer_by_name_round_trip(tmp_path):
    files = tool_project(tmp_path, rename=False)
    by_name = load_coded_interviews("refi_qda", files, paper_design())
    pd.testing.assert_frame_equal(load_paper("csv").segments, by_name.segments)


def _rename_sources(files: dict, new_name) -> dict[str, str]:
    """Drop the Cases and give every source a name of its own; returns name -> participant."""
    path = files["project"]
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    root = etree.fromstring(members["project.qde"])
    q = f"{{{refi_qda.NS}}}"
    cases = root.find(f"{q}Cases")
    pid_of = {
        ref.get("targetGUID"): case.get("name")
        for case in cases.iter(f"{q}Case")
        for ref in case.iter(f"{q}SourceRef")
    }
    root.remove(cases)
    mapping = {}
    for k, src in enumerate(root.iter(f"{q}TextSource"), start=1):
        name = new_name(k, pid_of[src.get("guid")])
        src.set("name", name)
        mapping[name] = pid_of[src.get("guid")]
    members["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return mapping


def test_sources_with_their_own_names_run_through_participant_map(tmp_path):
    files = tool_project(tmp_path, rename=False)
    names = [f"Interview {k} - Person {chr(64 + k)}.docx" for k in range(1, 30)]
    mapping = _rename_sources(files, lambda k, pid: names[k - 1])
    with pytest.raises(InputError, match="not linked to a participant"):
        load_coded_interviews("refi_qda", files, paper_design())
    pmap = tmp_path / "participant_map.csv"
    pmap.write_text(
        "source_name,participant_id\n" + "".join(f"{n},{p}\n" for n, p in mapping.items()),
        encoding="utf-8",
    )
    files["participant_map"] = str(pmap)
    mapped = load_coded_interviews("refi_qda", files, paper_design())
    pd.testing.assert_frame_equal(load_paper("csv").segments, mapped.segments)
