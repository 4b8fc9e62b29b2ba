"""``project.qde``: parsed safely and validated against the REFI-QDA project schema.

The schema is the REFI-QDA consortium's ``Project.xsd`` of 18 March 2019
(``Project-mrt2019.xsd``, MIT licence, the schema of the REFI-QDA 1.5 project
exchange standard), shipped with the package and applied with
``lxml.etree.XMLSchema``. A project that does not validate is refused with each
schema error's element path and line: the reader does not guess what an
invalid project means.

The result is a small model of what the reader uses: the code tree, the text
sources with their selections and codings, the cases, the users (who coded what:
a coding's ``creatingUser``, else its selection's, names a ``<User>``), and the
coded sources the reader cannot read (pictures, PDFs, audio, video).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

from downstream_safety.common.errors import InputError

NS = "urn:QDA-XML:project:1.0"
XSD = Path(__file__).with_name("Project-mrt2019.xsd")
OTHER_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")


@dataclass
class Code:
    guid: str
    name: str
    description: str
    line: int
    children: list[Code] = field(default_factory=list)


@dataclass
class CodeRef:
    target: str
    line: int
    user: str = ""  # creatingUser GUID of the <Coding>, else of its selection ("" = none)
    user_line: int = 0  # line of the element that names the user


@dataclass
class Selection:
    guid: str
    name: str
    start: int
    end: int
    description: str
    refs: list[CodeRef]
    line: int


@dataclass
class Source:
    guid: str
    name: str  # the name attribute, or the plain-text file's name when it has none
    path: str  # plainTextPath ("" with inline PlainTextContent)
    inline: str | None
    selections: list[Selection]
    whole_codings: int  # <Coding> of the source as a whole
    line: int


@dataclass
class Case:
    guid: str
    name: str
    sources: list[str]
    line: int


@dataclass
class Project:
    origin: str
    codes: list[Code]
    sources: list[Source]
    cases: list[Case]
    other_coded: list[tuple[str, str, int]]  # (element, name, line) of unreadable coded sources
    users: dict[str, str] = field(default_factory=dict)  # <User> GUID -> name (GUID if unnamed)

    def n_codings(self) -> int:
        return sum(len(s.refs) for src in self.sources for s in src.selections)


def norm_guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").upper()


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str) -> list:
    return [c for c in el if _local(c) == name]


def _desc(el) -> str:
    d = _children(el, "Description")
    return (d[0].text or "").strip() if d else ""


def parse_xml(data: bytes, file: str):
    """The root element, parsed without external entities, DTDs or network."""
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
    if etree.QName(root).namespace != NS:
        raise InputError(
            file,
            f"project.qde uses namespace {etree.QName(root).namespace}, not {NS} (the "
            "REFI-QDA 1.5 project schema this reader knows)",
            fix="export the project in REFI-QDA 1.5 format (urn:QDA-XML:project:1.0)",
        )
    return root


def validate(root, file: str) -> None:
    """Refuse a project that does not follow the REFI-QDA project schema."""
    xsd = schema()
    if xsd.validate(root):
        return
    problems = []
    lines = []
    tree = root.getroottree()
    for e in xsd.error_log:
        el = None
        try:
            found = tree.xpath(e.path, namespaces={"q": NS}) if e.path else []
            el = found[0] if found else None
        except etree.XPathError:
            el = None
        what = e.path or "?"
        if el is not None and isinstance(el.tag, str):
            ident = el.get("name") or el.get("guid")
            what = f"<{_local(el)}>" + (f" '{ident}'" if ident else "") + f" ({e.path})"
        problems.append(f"line {e.line}: {what}: {e.message}")
        lines.append(e.line)
    shown = "; ".join(problems[:20]) + (f"; ... ({len(problems)} in all)" if len(problems) > 20
                                        else "")  # fmt: skip
    raise InputError(
        file,
        f"project.qde does not follow the REFI-QDA project schema (Project.xsd): {shown}",
        rows=lines,
        fix="re-export the project from the QDA tool as a REFI-QDA project (.qdpx); an "
        "edited project.qde must keep the schema's elements, order and GUIDs",
    )


def _codes(el) -> list[Code]:
    return [
        Code(
            guid=norm_guid(c.get("guid")),
            name=c.get("name", ""),
            description=_desc(c),
            line=c.sourceline,
            children=_codes(c),
        )
        for c in _children(el, "Code")
    ]


def _source_name(src) -> str:
    if src.get("name"):
        return src.get("name")
    path = src.get("plainTextPath") or ""
    tail = path.split("://", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]
    return tail or norm_guid(src.get("guid")).lower()


def model(root) -> Project:
    """The parts of a valid project the reader uses."""
    codes: list[Code] = []
    for cb in _children(root, "CodeBook"):
        for codes_el in _children(cb, "Codes"):
            codes += _codes(codes_el)
    sources: list[Source] = []
    other: list[tuple[str, str, int]] = []
    for sources_el in _children(root, "Sources"):
        for src in sources_el:
            kind = _local(src)
            if kind in OTHER_SOURCES:
                if any(_local(d) == "CodeRef" for d in src.iter()):
                    other.append((kind, src.get("name") or norm_guid(src.get("guid")),
                                  src.sourceline))  # fmt: skip
                continue
            if kind != "TextSource":
                continue
            sels = []
            for sel in _children(src, "PlainTextSelection"):
                refs = [
                    CodeRef(norm_guid(r.get("targetGUID")), r.sourceline, *_user(coding, sel))
                    for coding in _children(sel, "Coding")
                    for r in _children(coding, "CodeRef")
                ]
                sels.append(
                    Selection(
                        guid=norm_guid(sel.get("guid")),
                        name=(sel.get("name") or "").strip(),
                        start=int(sel.get("startPosition")),
                        end=int(sel.get("endPosition")),
                        description=_desc(sel),
                        refs=refs,
                        line=sel.sourceline,
                    )
                )
            inline = _children(src, "PlainTextContent")
            sources.append(
                Source(
                    guid=norm_guid(src.get("guid")),
                    name=_source_name(src),
                    path=src.get("plainTextPath") or "",
                    inline=(inline[0].text or "") if inline else None,
                    selections=sels,
                    whole_codings=len(_children(src, "Coding")),
                    line=src.sourceline,
                )
            )
    cases = [
        Case(
            guid=norm_guid(case.get("guid")),
            name=(case.get("name") or "").strip(),
            sources=[norm_guid(r.get("targetGUID")) for r in _children(case, "SourceRef")],
            line=case.sourceline,
        )
        for cases_el in _children(root, "Cases")
        for case in _children(cases_el, "Case")
    ]
    users = {
        norm_guid(u.get("guid")): (u.get("name") or "").strip() or norm_guid(u.get("guid")).lower()
        for users_el in _children(root, "Users")
        for u in _children(users_el, "User")
    }
    return Project(root.get("origin") or "", codes, sources, cases, other, users)


def _user(coding, sel) -> tuple[str, int]:
    """Who made a coding: its own creatingUser, else the selection's (GUID, line)."""
    for el in (coding, sel):
        if el.get("creatingUser"):
            return norm_guid(el.get("creatingUser")), el.sourceline
    return "", 0


def read_project(data: bytes, file: str) -> Project:
    root = parse_xml(data, file)
    validate(root, file)
    return model(root)
