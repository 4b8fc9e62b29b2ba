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

import difflib
import io
import re
import uuid
import zipfile
from pathlib import Path, PurePosixPath

import pandas as pd
from lxml import etree

from downstream_safety.common.errors import InputError, combine
from downstream_safety.common.tableio import read_csv_text
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
CONVENTIONS = ("ids", "names")
CODE_COLUMNS = ["code_id", "subtheme_id", "code_label"]


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


def read_qdpx(
    path: Path | str,
    codebook: Design,
    codes_table: pd.DataFrame | None = None,
    code_map: dict[str, str] | None = None,
    participant_ids: list[str] | None = None,
):
    """Return (codes, code_lines, segments, segment_lines) from a ``.qdpx`` file.

    ``codes_table`` (the codebook's codes: code_id, subtheme_id, code_label) lets
    codes be matched by name; ``code_map`` maps ``/``-joined name paths to code ids.
    """
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
            # internal://<file> lives in Sources/ (some tools write sources/); a relative
            # path (relative://<path> or a bare path) is looked up in the archive itself.
            if ref.startswith("internal://"):
                name = ref[len("internal://") :]
                keys = [f"sources/{name}".lower()]
            elif "://" not in ref and not ref.startswith("/") and ref:
                name = ref
                keys = [ref.lower(), f"sources/{ref}".lower()]
            elif ref.startswith("relative://"):
                name = ref[len("relative://") :]
                keys = [name.lower(), f"sources/{name}".lower()]
            else:
                raise InputError(
                    file,
                    f"source stored outside the archive ({ref})",
                    rows=[line],
                    fix="export the project with its sources embedded (internal://)",
                )
            key = next((k for k in keys if k in lower), None)
            if key is None:
                raise InputError(
                    file,
                    f"source file {name} is missing from the archive",
                    rows=[line],
                    fix="re-export the project with its sources",
                )
            return _read_member(zf, members[lower[key]]).decode("utf-8-sig")

        # Rows of later messages are line numbers of project.qde, not of the zip.
        return _read_tree(
            root,
            f"{file} (project.qde)",
            codebook,
            source_file,
            NameIndex(codebook, codes_table, code_map or {}),
            participant_ids,
        )


def _norm(name: str) -> str:
    return " ".join((name or "").split()).casefold()


class NameIndex:
    """Codebook names to ids: themes by theme_name, subthemes by subtheme_name (or
    short_label) within their theme, codes by code_label within their subtheme."""

    def __init__(self, codebook: Design, codes: pd.DataFrame | None, code_map: dict[str, str]):
        t, s = codebook.themes, codebook.subthemes
        self.ids = set(t["theme_id"]) | set(s["subtheme_id"])
        self.theme = {_norm(n): i for i, n in zip(t["theme_id"], t["theme_name"], strict=True)}
        self.sub: dict[tuple[str, str], str] = {}
        for tid, sid, name, short in zip(
            s["theme_id"], s["subtheme_id"], s["subtheme_name"], s["short_label"], strict=True
        ):
            self.sub[(tid, _norm(short))] = sid
            self.sub[(tid, _norm(name))] = sid
        self.code: dict[tuple[str, str], str] = {}
        self.code_sub: dict[str, str] = {}
        self.code_label: dict[str, str] = {}
        if codes is not None:
            for cid, sid, label in zip(
                codes["code_id"], codes["subtheme_id"], codes["code_label"], strict=True
            ):
                self.code[(sid, _norm(label))] = cid
                self.code_sub[cid] = sid
                self.code_label[cid] = label
        self.code_map = {"/".join(_norm(p) for p in k.split("/")): v for k, v in code_map.items()}
        self.codes_known = codes is not None

    def suggestions(self, name: str) -> list[str]:
        """The closest codebook names (difflib), for the unmapped-name error."""
        pool = [*self.theme, *(n for _, n in self.sub), *(n for _, n in self.code)]
        return difflib.get_close_matches(_norm(name), list(dict.fromkeys(pool)), n=3, cutoff=0.5)


def _read_tree(root, file, codebook, source_file, index=None, participant_ids=None):
    errors: list[InputError] = []
    index = index or NameIndex(codebook, None, {})
    rq_of = codebook.subthemes.set_index("subtheme_id")["rq"]
    code_rows, code_lines, code_by_guid = [], [], {}
    unmapped: dict[str, str] = {}  # guid -> name path of codes that map to nothing
    # <Description> holds ids and quoted text in the package's own projects (and when no
    # codebook codes are given to match by name); in the tools' projects it is a free memo.
    own = root.get("origin") == "downstream_safety" or not index.codes_known

    def add_code(el, code_id: str, sid: str) -> None:
        code_rows.append(
            {
                "code_id": code_id,
                "rq": rq_of.get(sid, ""),
                "subtheme_id": sid,
                "code_label": index.code_label.get(code_id) or el.get("name", "") or code_id,
            }
        )
        code_lines.append(el.sourceline)
        code_by_guid[(el.get("guid") or "").upper()] = code_id

    def walk(el, theme: str | None, sub: str | None, path: list[str]) -> None:
        for child in _children(el, "Code"):
            name = child.get("name", "")
            cpath = [*path, name]
            key = "/".join(_norm(p) for p in cpath)
            d = _desc(child)
            if key in index.code_map:  # the user's code_map.csv
                cid = index.code_map[key]
                add_code(child, cid, index.code_sub.get(cid, sub or ""))
            elif d in index.ids:  # the package's own convention: ids in <Description>
                is_theme = d in set(codebook.themes["theme_id"])
                walk(child, d if is_theme else theme, None if is_theme else d, cpath)
                continue
            elif own and sub and _ID.match(d) and not _children(child, "Code"):
                add_code(child, d, sub)  # the package's own convention: code ids
            elif sub and (sub, _norm(name)) in index.code:
                add_code(child, index.code[(sub, _norm(name))], sub)
            elif theme and not sub and (theme, _norm(name)) in index.sub:
                walk(child, theme, index.sub[(theme, _norm(name))], cpath)
                continue
            elif not theme and _norm(name) in index.theme:
                walk(child, index.theme[_norm(name)], None, cpath)
                continue
            elif not theme:  # a folder above the themes
                walk(child, None, None, cpath)
                continue
            else:
                unmapped[(child.get("guid") or "").upper()] = "/".join(cpath)
            walk(child, theme, sub, cpath)

    for cb in _children(root, "CodeBook"):
        for codes_el in _children(cb, "Codes"):
            walk(codes_el, None, None, [])

    # Participants are Cases linked to their sources; without cases, the source's name.
    case_of: dict[str, list[str]] = {}
    case_lines: dict[str, list[int]] = {}
    for cases in _children(root, "Cases"):
        for case in _children(cases, "Case"):
            refs = [r.get("targetGUID", "").upper() for r in _children(case, "SourceRef")]
            if not refs:
                errors.append(
                    InputError(
                        file,
                        f"case '{case.get('name', '')}' is linked to no source",
                        rows=[case.sourceline],
                        values=[case.get("name", "")],
                        fix="link the case to its participant's transcript in the QDA tool, "
                        "or delete the case",
                    )
                )
            for ref in refs:
                case_of.setdefault(ref, []).append(case.get("name", ""))
                case_lines.setdefault(ref, []).append(case.sourceline)
    source_name = {
        (src.get("guid") or "").upper(): src.get("name", "")
        for sources in _children(root, "Sources")
        for src in _children(sources, "TextSource")
    }
    for ref, names in case_of.items():
        if len(names) > 1:
            errors.append(
                InputError(
                    file,
                    f"source '{source_name.get(ref, ref)}' belongs to several cases "
                    f"(participants {', '.join(names)})",
                    rows=case_lines[ref],
                    values=[ref, *names],
                    fix="link each transcript to exactly one participant's case",
                )
            )
    has_cases = bool(case_of)
    known = list(participant_ids or [])

    def participant(src) -> str | None:
        if has_cases:
            names = case_of.get((src.get("guid") or "").upper())
            return names[0] if names else None
        stem = PurePosixPath(src.get("name", "")).stem
        if stem in known or not known:
            return stem if known else (_PID.search(stem).group(1) if _PID.search(stem) else None)
        hits = [
            p for p in known if re.search(rf"(?<![A-Za-z0-9]){re.escape(p)}(?![A-Za-z0-9])", stem)
        ]
        return hits[0] if len(hits) == 1 else None

    seg_rows, seg_lines = [], []
    used: dict[str, str] = {}  # unmapped guid -> first selection using it
    for sources in _children(root, "Sources"):
        for src in _children(sources, "TextSource"):
            line = src.sourceline
            pid = participant(src)
            if pid is None:
                errors.append(
                    InputError(
                        file,
                        "source not linked to a participant"
                        + (" case" if has_cases else " (its name is no participant id)"),
                        rows=[line],
                        values=[src.get("name", "")],
                        fix="link the transcript to its participant's case, or name it after "
                        "the participant (e.g. 'P3.txt')",
                    )
                )
                continue
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
                where = f"source '{src.get('name', '')}', selection '{name}'"
                try:
                    start = int(sel.get("startPosition", ""))
                    end = int(sel.get("endPosition", ""))
                except ValueError:
                    errors.append(
                        InputError(
                            file,
                            f"{where}: no integer startPosition/endPosition",
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
                            f"{where}: offsets {start}-{end} fall outside its source "
                            f"({len(text)} characters)",
                            rows=[sline],
                            values=[name],
                            fix="re-export the project; offsets count Unicode code points "
                            "with an exclusive end",
                        )
                    )
                    continue
                quoted = text[start:end]
                stored = _desc(sel) if own else ""
                if stored and quoted.strip() != stored:
                    errors.append(
                        InputError(
                            file,
                            f"{where}: text at {start}-{end} does not match its stored text",
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
                    if target in unmapped:
                        used.setdefault(target, where)
                        continue
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
    if used:
        listed = []
        for g, where in used.items():
            path = unmapped[g]
            near = index.suggestions(path.rsplit("/", 1)[-1])
            listed.append(f"'{path}' (first used at {where}; closest: {', '.join(near) or '-'})")
        errors.append(
            InputError(
                file,
                f"{len(used)} coded name(s) map to no theme, subtheme or code of the "
                "codebook: " + "; ".join(listed),
                fix="rename the code in the QDA tool to its codebook name (theme_name > "
                "subtheme_name > code_label), or map its path in code_map.csv (qda_path,code_id)",
            )
        )
    if errors:
        raise combine(errors)
    codes = pd.DataFrame(code_rows, columns=["code_id", "rq", "subtheme_id", "code_label"])
    keep = ~codes["code_id"].duplicated()
    codes, code_lines = (
        codes[keep].reset_index(drop=True),
        [ln for ln, k in zip(code_lines, keep, strict=True) if k],
    )
    segments = pd.DataFrame(
        seg_rows,
        columns=["segment_id", "participant_id", "rq", "code_id", "subtheme_id", "key_point"],
    )
    sub_of = codes.set_index("code_id")["subtheme_id"]
    segments["subtheme_id"] = segments["code_id"].map(sub_of).fillna("")
    segments["rq"] = segments["subtheme_id"].map(rq_of).fillna("")
    return codes, pd.Series(code_lines, dtype=int), segments, pd.Series(seg_lines, dtype=int)


def load_qdpx_interviews(
    path: Path | str,
    participants_path: Path | str,
    codebook: Design,
    codes_path: Path | str | None = None,
    code_map_path: Path | str | None = None,
) -> CodedInterviews:
    participants = load_participants(participants_path, codebook)
    codes_table = read_csv_text(codes_path, required=CODE_COLUMNS) if codes_path else None
    code_map = None
    if code_map_path:
        m = read_csv_text(code_map_path, required=["qda_path", "code_id"])
        code_map = dict(zip(m["qda_path"].str.strip(), m["code_id"].str.strip(), strict=True))
    codes, code_lines, segments, seg_lines = read_qdpx(
        path, codebook, codes_table, code_map, participants["participant_id"].tolist()
    )
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
