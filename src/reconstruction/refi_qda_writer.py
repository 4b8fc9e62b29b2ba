"""Write the reconstructed coded interviews as a REFI-QDA project (``.qdpx``).

Used by the generator (``reconstruction.interviews``) and by tests that need a
project written the way the QDA tools write one. The analysis package only
reads projects (``downstream_safety.interviews.refi_qda``).

Layout written: ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``) and one
plain-text source per participant under ``sources/``. The code tree nests
themes > subthemes > codes; themes and subthemes are categories
(``isCodable="false"``). ``convention="ids"`` (``origin="downstream_safety"``)
stores the codebook ids in each code's ``<Description>`` and the quoted key
point in each selection's; ``convention="names"`` writes what the tools write:
names only, and one ``<Case>`` per participant. Offsets count Unicode code
points with an exclusive end (the text is plain ASCII/BMP, so UTF-16 units are
the same numbers).
"""

from __future__ import annotations

import io
import uuid
import zipfile

import pandas as pd
from lxml import etree

from downstream_safety.instruments.design import Design

NS = "urn:QDA-XML:project:1.0"
_GUID_NS = uuid.UUID("5d0c3c1e-8f1a-4a53-9e0e-2f6a3c7b9d41")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
CONVENTIONS = ("ids", "names")


def guid(kind: str, key: str) -> str:
    """Stable GUIDs so that the written project is byte-identical between runs."""
    return str(uuid.uuid5(_GUID_NS, f"{kind}:{key}")).upper()


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent, tag: str, **attrs):
    el = etree.SubElement(parent, _q(tag))
    for k, v in attrs.items():
        el.set(k, str(v))
    return el


def _description(parent, text: str) -> None:
    _sub(parent, "Description").text = text


def source_text(segments: pd.DataFrame) -> tuple[str, list[tuple[int, int]]]:
    """One participant's key points as a plain-text document, with their offsets."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for seg_id, key_point in zip(segments["segment_id"], segments["key_point"], strict=True):
        prefix = f"[{seg_id}] "
        start = pos + len(prefix)
        end = start + len(key_point)
        parts.append(f"{prefix}{key_point}\n")
        spans.append((start, end))
        pos = end + 1
    return "".join(parts), spans


def build_project(
    codes: pd.DataFrame,
    segments: pd.DataFrame,
    codebook: Design,
    participant_order: list[str],
    project_name: str = "coded_interviews",
    convention: str = "ids",
) -> tuple[bytes, dict[str, str]]:
    """Return ``project.qde`` bytes and the source files (zip member name -> text).

    ``convention="ids"`` stores the package's ids in ``<Description>``;
    ``"names"`` writes what the QDA tools write and import: codes identified by
    their names only, and one ``<Case>`` per participant linked to its source.
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}")
    by_id = convention == "ids"
    user = guid("user", "coder")
    root = etree.Element(_q("Project"), nsmap={None: NS})
    root.set("name", project_name)
    root.set("origin", "downstream_safety")
    root.set("creatingUserGUID", user)
    users = _sub(root, "Users")
    _sub(users, "User", guid=user, name="coder")

    code_nodes = _sub(_sub(root, "CodeBook"), "Codes")
    subs = codebook.subthemes
    for theme in codebook.themes.itertuples(index=False):
        t_el = _sub(
            code_nodes,
            "Code",
            guid=guid("theme", theme.theme_id),
            name=theme.theme_name,
            isCodable="false",
        )
        if by_id:
            _description(t_el, theme.theme_id)
        for sub in subs[subs["theme_id"] == theme.theme_id].itertuples(index=False):
            s_el = _sub(
                t_el,
                "Code",
                guid=guid("subtheme", sub.subtheme_id),
                name=sub.subtheme_name,
                isCodable="false",
            )
            if by_id:
                _description(s_el, sub.subtheme_id)
            mine = codes[codes["subtheme_id"] == sub.subtheme_id].sort_values("code_id")
            for code in mine.itertuples(index=False):
                c_el = _sub(
                    s_el,
                    "Code",
                    guid=guid("code", code.code_id),
                    name=code.code_label,
                    isCodable="true",
                )
                if by_id:
                    _description(c_el, code.code_id)

    sources_el = _sub(root, "Sources")
    files: dict[str, str] = {}
    for pid in participant_order:
        mine = segments[segments["participant_id"] == pid].sort_values("segment_id")
        if mine.empty:
            continue
        text, spans = source_text(mine)
        src_guid = guid("source", pid)
        files[f"sources/{src_guid}.txt"] = text
        src = _sub(
            sources_el,
            "TextSource",
            guid=src_guid,
            name=f"{pid}.txt",
            plainTextPath=f"internal://{src_guid}.txt",
            creatingUser=user,
        )
        for seg, (start, end) in zip(mine.itertuples(index=False), spans, strict=True):
            sel = _sub(
                src,
                "PlainTextSelection",
                guid=guid("selection", seg.segment_id),
                name=seg.segment_id,
                startPosition=start,
                endPosition=end,
                creatingUser=user,
            )
            if by_id:
                _description(sel, seg.key_point)
            coding = _sub(sel, "Coding", guid=guid("coding", seg.segment_id), creatingUser=user)
            _sub(coding, "CodeRef", targetGUID=guid("code", seg.code_id))
    if not by_id:
        cases = etree.Element(_q("Cases"))
        sources_el.addprevious(cases)  # the schema puts Cases before Sources
        for pid in participant_order:
            if f"sources/{guid('source', pid)}.txt" in files:
                case = _sub(cases, "Case", guid=guid("case", pid), name=pid)
                _sub(case, "SourceRef", targetGUID=guid("source", pid))
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml, files


def qdpx_bytes(project_xml: bytes, files: dict[str, str]) -> bytes:
    """Zip with fixed member order and timestamps (byte-stable)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        members = [("project.qde", project_xml)]
        members += [(n, files[n].encode("utf-8")) for n in sorted(files)]
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()
