"""REFI-QDA reading and writing: hand-made projects, offset checks, unsafe archives,
and equality of the CSV and REFI-QDA forms of the shipped coded interviews."""

import io
import zipfile

import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.interviews import aggregate, refi_qda
from downstream_safety.interviews.refi import archive
from reconstruction import refi_qda_writer as writer
from tests.interviews.helpers import QDPX, load_paper, paper_design

CODEBOOK = paper_design()
# "Café. " is 6 code points (7 UTF-8 bytes): offsets count code points.
TEXT = "Café. We filter emails with regex. Bye."
START, END = 6, 34  # "We filter emails with regex." by hand: 6 + 28


G = {k: f"00000000-0000-4000-8000-{i:012d}" for i, k in enumerate("TSCUXK", start=1)}


def qde(start=START, end=END, stored="We filter emails with regex.", source_ref=None,
        origin="downstream_safety"):  # fmt: skip
    src = f'plainTextPath="{source_ref}"' if source_ref else 'plainTextPath="internal://SRC1.txt"'
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="{origin}">
  <CodeBook><Codes>
    <Code guid="{G["T"]}" name="Implementing technical safety guards" isCodable="false">
      <Code guid="{G["S"]}" name="Filter model input and output" isCodable="false">
        <Code guid="{G["C"]}" name="regex filters" isCodable="true">
          <Description>k_regex</Description></Code>
      </Code>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{G["U"]}" name="P7 interview.txt" {src}>
      <PlainTextSelection guid="{G["X"]}" name="seg1" startPosition="{start}" endPosition="{end}">
        <Description>{stored}</Description>
        <Coding guid="{G["K"]}"><CodeRef targetGUID="{G["C"]}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"""


def make_zip(tmp_path, project: str, extra: dict | None = None, name="p.qdpx"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", project)
        zf.writestr("Sources/SRC1.txt", TEXT.encode("utf-8"))
        for k, v in (extra or {}).items():
            zf.writestr(k, v)
    return path


def read(path, **kw):
    return refi_qda.read_qdpx(path, CODEBOOK, participant_ids=["P7"], **kw)


def test_reads_hand_made_project(tmp_path):
    codes, _, segs, lines, _ = read(make_zip(tmp_path, qde()))
    assert codes.to_dict("records") == [
        {
            "code_id": "k_regex",
            "rq": "RQ2",
            "subtheme_id": "filter_io",
            "code_label": "regex filters",
        }
    ]
    assert segs.to_dict("records") == [
        {
            "segment_id": "seg1",
            "participant_id": "P7",
            "rq": "RQ2",
            "code_id": "k_regex",
            "subtheme_id": "filter_io",
            "key_point": "We filter emails with regex.",
        }
    ]
    assert lines.tolist() == [15]  # line of the CodeRef element


@pytest.mark.bad_input
def test_offsets_outside_source(tmp_path):
    with pytest.raises(InputError) as err:
        read(make_zip(tmp_path, qde(start=30, end=400)))
    msg = str(err.value)
    assert "p.qdpx" in msg and "outside its source" in msg and "rows:    13 " in msg  # XML line


@pytest.mark.bad_input
def test_offsets_not_matching_stored_text(tmp_path):
    # inclusive-end or byte offsets: shifted by one
    with pytest.raises(InputError, match="does not match its stored text"):
        read(make_zip(tmp_path, qde(start=7, end=35)))


@pytest.mark.bad_input
@pytest.mark.parametrize("member", ["../evil.txt", "/etc/passwd", "sources/../../x.txt"])
def test_path_traversal_rejected(tmp_path, member):
    path = make_zip(tmp_path, qde(), extra={member: "x"})
    with pytest.raises(InputError, match="path traversal"):
        read(path)


@pytest.mark.bad_input
def test_oversized_member_rejected(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1000)
    path = make_zip(tmp_path, qde(), extra={"sources/big.txt": "x" * 5000})
    with pytest.raises(InputError, match="larger than 1000 bytes"):
        read(path)


@pytest.mark.bad_input
def test_external_source_rejected(tmp_path):
    path = make_zip(tmp_path, qde(source_ref="absolute:///home/x/P7.txt"))
    with pytest.raises(InputError, match="outside the archive"):
        read(path)


@pytest.mark.bad_input
def test_external_xml_entities_refused(tmp_path):
    evil = (
        qde()
        .replace(
            '<?xml version="1.0" encoding="utf-8"?>',
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/hostname">]>',
        )
        .replace("regex filters", "&x;")
    )
    with pytest.raises(InputError, match="not well-formed"):
        read(make_zip(tmp_path, evil))


def test_round_trip_small(tmp_path):
    codes = pd.DataFrame(
        {
            "code_id": ["k1", "k2"],
            "rq": ["RQ1", "RQ3"],
            "subtheme_id": ["finetune_data", "knowledge_gap"],
            "code_label": ["photos need consent", "jargon"],
        }
    )
    segs = pd.DataFrame(
        {
            "segment_id": ["a1", "a2", "b1"],
            "participant_id": ["P1", "P1", "P2"],
            "rq": ["RQ1", "RQ3", "RQ3"],
            "code_id": ["k1", "k2", "k2"],
            "subtheme_id": ["finetune_data", "knowledge_gap", "knowledge_gap"],
            "key_point": ["Ünïcode ✓ consent", "Terms differ", "Nobody knows ε"],
        }
    )
    xml, files = writer.build_project(codes, segs, CODEBOOK, ["P1", "P2", "P3"])
    path = tmp_path / "r.qdpx"
    path.write_bytes(writer.qdpx_bytes(xml, files))
    c2, _, s2, _, _ = refi_qda.read_qdpx(path, CODEBOOK, participant_ids=["P1", "P2", "P3"])
    pd.testing.assert_frame_equal(c2.sort_values("code_id").reset_index(drop=True), codes)
    pd.testing.assert_frame_equal(s2.sort_values("segment_id").reset_index(drop=True), segs)
    # byte-stable
    assert writer.qdpx_bytes(*writer.build_project(codes, segs, CODEBOOK, ["P1", "P2"])) == (
        path.read_bytes()
    )


def test_shipped_csv_and_refi_qda_give_identical_aggregates():
    a = load_paper("csv")
    b = load_paper("refi_qda")
    pd.testing.assert_frame_equal(a.segments, b.segments)
    pd.testing.assert_frame_equal(a.codes, b.codes)
    for fn in (
        lambda c: aggregate.subtheme_participants(c.segments, c.codebook),
        lambda c: aggregate.codes_per_rq(c.codes, c.codebook.rqs),
        lambda c: aggregate.theme_participants(c.segments, c.codes, c.codebook),
        lambda c: aggregate.participant_subtheme_matrix(c.segments, c.participants, c.codebook),
    ):
        pd.testing.assert_frame_equal(fn(a), fn(b))


def test_qdpx_members_are_project_and_sources():
    with zipfile.ZipFile(io.BytesIO(QDPX.read_bytes())) as zf:
        names = zf.namelist()
    assert names[0] == "project.qde"
    assert len(names) == 19 and all(n.startswith("sources/") for n in names[1:])
