"""REFI-QDA projects (``.qdpx``): the exchange format of NVivo, ATLAS.ti, MAXQDA
and QualCoder, written and read with lxml.

Layout written: ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``) and one
plain-text source per participant under ``sources/``. The code tree nests
themes > subthemes > codes; themes and subthemes are categories
(``isCodable="false"``) whose ``<Description>`` holds the codebook id, and each
code's ``<Description>`` holds its code id. A selection's ``<Description>`` holds
the quoted key point, so the reader can verify each offset pair against the
source text (exporters disagree on offset conventions; this package uses
Unicode code points with an exclusive end).

The reader never extracts to disk: members are read into memory after checking
that their names stay inside the archive and their sizes are bounded.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path, PurePosixPath

import pandas as pd
from lxml import etree

from downstream_safety.common.errors import InputError, combine
from downstream_safety.instruments.design import Design
from downstream_safety.interviews.load import CodedInterviews, assemble, load_participants
from downstream_safety.paths import rel

NS = "urn:QDA-XML:project:1.0"
_GUID_NS = uuid.UUID("5d0c3c1e-8f1a-4a53-9e0e-2f6a3c7b9d41")
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PID = re.compile(r"\b(P[0-9]+)\b")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


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


# --- writing ---------------------------------------------------------------


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
) -> tuple[bytes, dict[str, str]]:
    """Return ``project.qde`` bytes and the source files (zip member name -> text)."""
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
        _description(t_el, theme.theme_id)
        for sub in subs[subs["theme_id"] == theme.theme_id].itertuples(index=False):
            s_el = _sub(
                t_el,
                "Code",
                guid=guid("subtheme", sub.subtheme_id),
                name=sub.subtheme_name,
                isCodable="false",
            )
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
            _description(sel, seg.key_point)
            coding = _sub(sel, "Coding", guid=guid("coding", seg.segment_id), creatingUser=user)
            _sub(coding, "CodeRef", targetGUID=guid("code", seg.code_id))
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


# --- reading ---------------------------------------------------------------


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str) -> list:
    return [c for c in el if _local(c) == name]


def _desc(el) -> str:
    d = _children(el, "Description")
    return (d[0].text or "").strip() if d else ""


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return s if s and s[0].isalpha() else f"c_{s}"


def safe_members(zf: zipfile.ZipFile, file: str) -> dict[str, zipfile.ZipInfo]:
    """Refuse members that would escape the archive or that are implausibly large."""
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in zf.infolist():
        name = info.filename
        path = PurePosixPath(name.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", name):
            raise InputError(
                file,
                "archive member with an absolute or parent-directory path (path traversal)",
                values=[name],
                fix="re-export the project from the QDA tool; member names must stay "
                "inside the archive",
            )
        if info.file_size > MAX_MEMBER_BYTES:
            raise InputError(
                file,
                f"archive member larger than {MAX_MEMBER_BYTES} bytes",
                values=[name],
                fix="export the project without media files (plain-text sources only)",
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise InputError(
                file,
                f"archive expands to more than {MAX_TOTAL_BYTES} bytes",
                fix="export the project without media files (plain-text sources only)",
            )
        if not name.endswith("/"):
            members[path.as_posix()] = info
    return members


def _read_member(zf, info, limit: int = MAX_MEMBER_BYTES) -> bytes:
    # Read at most limit+1 bytes: a forged header cannot make us inflate more.
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputError(str(info.filename), "archive member larger than declared")
    return data


def parse_project(data: bytes, file: str):
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(
            file,
            f"project.qde is not well-formed XML: {exc}",
            rows=[exc.lineno] if exc.lineno else None,
            fix="re-export the project from the QDA tool",
        ) from None
    if _local(root) != "Project" or not str(etree.QName(root).namespace or "").startswith(
        "urn:QDA-XML:project:"
    ):
        raise InputError(
            file,
            "project.qde does not have a REFI-QDA <Project> root",
            fix="export a REFI-QDA project (.qdpx) from the QDA tool",
        )
    return root


def _subtheme_resolver(codebook: Design):
    s = codebook.subthemes
    by_key: dict[str, str] = {}
    for sid, name, short in zip(
        s["subtheme_id"], s["subtheme_name"], s["short_label"], strict=True
    ):
        by_key[sid] = sid
        by_key[name.strip().lower()] = sid
        by_key[short.strip().lower()] = sid

    def resolve(el) -> str | None:
        d = _desc(el)
        if d in by_key:
            return by_key[d]
        return by_key.get((el.get("name") or "").strip().lower())

    return resolve


def read_qdpx(path: Path | str, codebook: Design):
    """Return (codes, code_lines, segments, segment_lines) from a ``.qdpx`` file."""
    file = rel(path)
    p = Path(path)
    if not p.exists():
        raise InputError(
            file, "file does not exist", fix="check interviews.refi_qda_project in the config"
        )
    try:
        zf = zipfile.ZipFile(p)
    except zipfile.BadZipFile:
        raise InputError(
            file, "not a zip archive", fix="export a REFI-QDA project (.qdpx)"
        ) from None
    with zf:
        members = safe_members(zf, file)
        qde = [n for n in members if n.lower() == "project.qde"] or [
            n for n in members if n.lower().endswith(".qde") and "/" not in n
        ]
        if len(qde) != 1:
            raise InputError(
                file,
                "archive must contain exactly one project .qde at its top level",
                values=sorted(members),
                fix="export a REFI-QDA project (.qdpx) from the QDA tool",
            )
        root = parse_project(_read_member(zf, members[qde[0]]), file)
        lower = {n.lower(): n for n in members}

        def source_file(ref: str, line: int) -> str:
            if not ref.startswith("internal://"):
                raise InputError(
                    file,
                    f"source stored outside the archive ({ref})",
                    rows=[line],
                    fix="export the project with its sources embedded (internal://)",
                )
            name = ref[len("internal://") :]
            key = f"sources/{name}".lower()
            if key not in lower:
                raise InputError(
                    file,
                    f"source file {name} is missing from the archive",
                    rows=[line],
                    fix="re-export the project with its sources",
                )
            return _read_member(zf, members[lower[key]]).decode("utf-8-sig")

        # Rows of later messages are line numbers of project.qde, not of the zip.
        return _read_tree(root, f"{file} (project.qde)", codebook, source_file)


def _read_tree(root, file: str, codebook: Design, source_file):
    errors: list[InputError] = []
    resolve = _subtheme_resolver(codebook)
    rq_of = codebook.subthemes.set_index("subtheme_id")["rq"]
    code_rows, code_lines, code_by_guid = [], [], {}

    def walk(el, subtheme: str | None, parent_label: str) -> None:
        for child in _children(el, "Code"):
            mapped = resolve(child)
            codable = (child.get("isCodable") or "true").lower() != "false"
            if mapped is not None and not codable:
                walk(child, mapped, child.get("name", ""))
                continue
            if codable and not _children(child, "Code"):
                d = _desc(child)
                code_id = d if _ID.match(d) else _slug(child.get("name", ""))
                sid = subtheme or _slug(parent_label or "no_subtheme")
                code_rows.append(
                    {
                        "code_id": code_id,
                        "rq": rq_of.get(sid, ""),
                        "subtheme_id": sid,
                        "code_label": child.get("name", "") or code_id,
                    }
                )
                code_lines.append(child.sourceline)
                code_by_guid[(child.get("guid") or "").upper()] = code_id
            else:
                walk(child, subtheme, child.get("name", ""))

    for cb in _children(root, "CodeBook"):
        for codes_el in _children(cb, "Codes"):
            walk(codes_el, None, "")

    seg_rows, seg_lines = [], []
    for sources in _children(root, "Sources"):
        for src in _children(sources, "TextSource"):
            line = src.sourceline
            m = _PID.search(src.get("name", ""))
            if not m:
                errors.append(
                    InputError(
                        file,
                        "source name does not contain a participant id (P<number>)",
                        rows=[line],
                        values=[src.get("name", "")],
                        fix="name each transcript after its participant, e.g. 'P3.txt'",
                    )
                )
                continue
            pid = m.group(1)
            inline = _children(src, "PlainTextContent")
            try:
                text = (
                    (inline[0].text or "")
                    if inline
                    else source_file(src.get("plainTextPath", ""), line)
                )
            except InputError as err:
                errors.append(err)
                continue
            text = text.replace("\r\n", "\n")
            for sel in _children(src, "PlainTextSelection"):
                sline = sel.sourceline
                name = sel.get("name") or sel.get("guid", "")
                try:
                    start = int(sel.get("startPosition", ""))
                    end = int(sel.get("endPosition", ""))
                except ValueError:
                    errors.append(
                        InputError(
                            file,
                            "selection without integer startPosition/endPosition",
                            rows=[sline],
                            values=[name],
                            fix="re-export the project from the QDA tool",
                        )
                    )
                    continue
                if not (0 <= start < end <= len(text)):
                    errors.append(
                        InputError(
                            file,
                            f"selection offsets {start}-{end} fall outside its source "
                            f"({src.get('name')}, {len(text)} characters)",
                            rows=[sline],
                            values=[name],
                            fix="re-export the project; offsets count Unicode code points "
                            "with an exclusive end",
                        )
                    )
                    continue
                quoted = text[start:end]
                stored = _desc(sel)
                if stored and quoted.strip() != stored:
                    errors.append(
                        InputError(
                            file,
                            f"selection text at {start}-{end} does not match its stored text",
                            rows=[sline],
                            values=[name, quoted[:60], stored[:60]],
                            fix="re-export the project; if the tool counts UTF-16 units or "
                            "an inclusive end, convert offsets to code points, exclusive end",
                        )
                    )
                    continue
                refs = [
                    r for coding in _children(sel, "Coding") for r in _children(coding, "CodeRef")
                ]
                for i, ref in enumerate(refs, start=1):
                    target = (ref.get("targetGUID") or "").upper()
                    code_id = code_by_guid.get(target, target or "missing")
                    seg_rows.append(
                        {
                            "segment_id": name if len(refs) == 1 else f"{name}.{i}",
                            "participant_id": pid,
                            "rq": "",
                            "code_id": code_id,
                            "subtheme_id": "",
                            "key_point": stored or quoted.strip(),
                        }
                    )
                    seg_lines.append(ref.sourceline)
    if errors:
        raise combine(errors)
    codes = pd.DataFrame(code_rows, columns=["code_id", "rq", "subtheme_id", "code_label"])
    segments = pd.DataFrame(
        seg_rows,
        columns=["segment_id", "participant_id", "rq", "code_id", "subtheme_id", "key_point"],
    )
    sub_of = codes.drop_duplicates("code_id").set_index("code_id")["subtheme_id"]
    segments["subtheme_id"] = segments["code_id"].map(sub_of).fillna("")
    segments["rq"] = segments["subtheme_id"].map(rq_of).fillna("")
    return codes, pd.Series(code_lines, dtype=int), segments, pd.Series(seg_lines, dtype=int)


def load_qdpx_interviews(
    path: Path | str, participants_path: Path | str, codebook: Design
) -> CodedInterviews:
    participants = load_participants(participants_path)
    codes, code_lines, segments, seg_lines = read_qdpx(path, codebook)
    file = f"{rel(path)} (project.qde)"
    return assemble(
        codes,
        code_lines,
        file,
        segments,
        seg_lines,
        file,
        participants,
        rel(participants_path),
        codebook,
    )
