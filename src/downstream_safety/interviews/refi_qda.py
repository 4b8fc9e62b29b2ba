"""REFI-QDA projects (``.qdpx``) as NVivo, ATLAS.ti, MAXQDA, QualCoder and other
tools write them, read into the same two tables as the CSV form (codes and
coded segments) and held to the same checks (``load.assemble``).

The parts (``interviews/refi/``): the archive, ``project.qde`` validated
against the REFI-QDA project schema, the offset convention, name matching of
codes and the participants of the sources. This module puts them together and
reports every problem of a project in one pass: participants, codes and
offsets, each naming its element (source name, selection guid, code path).

The writer of the package's own project lives with the generators
(``reconstruction/refi_qda_writer.py``).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from downstream_safety.common.errors import InputError, combine
from downstream_safety.common.tableio import read_csv_text
from downstream_safety.instruments.design import Design
from downstream_safety.interviews.load import CodedInterviews, assemble, load_participants
from downstream_safety.interviews.refi import archive as arc
from downstream_safety.interviews.refi import names, offsets, participants
from downstream_safety.interviews.refi.archive import MAX_MEMBER_BYTES  # noqa: F401
from downstream_safety.interviews.refi.project import NS, Project, Selection, Source, read_project
from downstream_safety.paths import rel

__all__ = ["NS", "read_qdpx", "read_passages", "load_qdpx_interviews", "Passage"]

CODE_COLUMNS = ["code_id", "subtheme_id", "code_label"]
SEGMENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
OFFSETS_KEY = "interviews.offsets"


@dataclass
class Passage:
    source: Source
    selection: Selection
    start: int  # code-point slice of the source text
    end: int
    text: str  # the source text [start:end], exactly as stored


class Read(NamedTuple):
    codes: pd.DataFrame
    code_lines: pd.Series
    segments: pd.DataFrame
    segment_lines: pd.Series
    notes: list[str]


class Coded(NamedTuple):
    """A read project with who coded each segment and where, for coder agreement."""

    read: Read
    codings: pd.DataFrame  # segment_id, coder, source, start, end (code points)
    lengths: dict[str, int]  # coded source -> length in code points


def _label(path) -> str:
    return f"{rel(path)} (project.qde)"


def _texts(
    project: Project, sources: list[Source], a: arc.Archive, file: str
) -> tuple[dict[str, str], list[InputError]]:
    out: dict[str, str] = {}
    errors: list[InputError] = []
    for src in sources:
        if src.inline is not None:
            out[src.guid] = src.inline
            continue
        ref = src.path
        if not ref or arc.is_external(ref):
            errors.append(
                InputError(
                    file,
                    f"source '{src.name}': text stored outside the archive ({ref or 'no path'})",
                    rows=[src.line],
                    values=[src.name],
                    fix="export the project with its sources embedded (internal://)",
                )
            )
            continue
        member = a.find(ref)
        if member is None:
            errors.append(
                InputError(
                    file,
                    f"source '{src.name}': its text file {ref} is missing from the archive",
                    rows=[src.line],
                    values=[src.name, ref],
                    fix="re-export the project with its sources",
                )
            )
            continue
        try:
            out[src.guid] = arc.decode_source(a.read(member), file, member)
        except InputError as err:
            errors.append(err)
    return out, errors


def _open(path) -> tuple[str, Project, arc.Archive]:
    a = arc.open_archive(path)
    try:
        project = read_project(a.project_bytes(), _label(path))
    except InputError:
        a.close()
        raise
    return _label(path), project, a


def _no_coding(file: str, project: Project) -> InputError:
    n_codes = sum(1 for _ in _iter_codes(project.codes))
    return InputError(
        file,
        f"the project has no coded passages ({len(project.sources)} text source(s), "
        f"{n_codes} code(s), 0 codings): there is nothing to count",
        fix="code the transcripts in the QDA tool and export the project again with its "
        "codings (REFI-QDA project export, .qdpx), or point interviews.refi_qda_project at "
        "the coded project",
    )


def _iter_codes(codes):
    for c in codes:
        yield c
        yield from _iter_codes(c.children)


def _passages(
    project: Project, texts: dict[str, str], convention: str, setting: str, file: str,
    own: bool,
) -> tuple[list[Passage], list[InputError], str]:  # fmt: skip
    """Slice every selection of the coded sources; check the convention on the way."""
    prepared = {g: offsets.Text.of(t) for g, t in texts.items()}
    coded = [s for s in project.sources if s.guid in prepared]
    items = [(prepared[s.guid], sel.start, sel.end) for s in coded for sel in s.selections]
    errors: list[InputError] = []
    # The package's own projects store each passage's text: that check is stronger.
    found = None if own else offsets.verdict(items, convention)
    if found:
        why, other_fits = found
        alt = offsets.other(convention)
        chosen = (
            f"chosen from origin '{project.origin}'"
            if setting == "auto"
            else f"set by {OFFSETS_KEY}"
        )
        unit = "UTF-16 code units" if alt == "utf16" else "code points"
        errors.append(
            InputError(
                file,
                f"the selections' offsets do not fit the {convention} convention ({chosen}): {why}",
                rows=sorted({sel.line for s in coded for sel in s.selections})[:1],
                fix=f"set {OFFSETS_KEY}: {alt} in config/config.yaml (the tool counts {unit})"
                if other_fits
                else "the offsets fit neither convention: re-export the project from the QDA "
                "tool with its plain-text sources",
            )
        )
        return [], errors, convention
    out: list[Passage] = []
    for src in coded:
        t = prepared[src.guid]
        for sel in src.selections:
            where = f"source '{src.name}', selection {sel.guid.lower()}" + (
                f" '{sel.name}'" if sel.name else ""
            )
            sp = t.span(sel.start, sel.end, convention)
            if isinstance(sp, str):
                errors.append(
                    InputError(
                        file,
                        f"{where}: {sp}",
                        rows=[sel.line],
                        values=[src.name, sel.guid.lower()],
                        fix="re-export the project from the QDA tool; a selection must lie "
                        f"inside its source ({OFFSETS_KEY}: {convention})",
                    )
                )
                continue
            passage = t.text[sp[0] : sp[1]]
            if own and sel.description and _clean(passage) != sel.description:
                errors.append(
                    InputError(
                        file,
                        f"{where}: text at {sel.start}-{sel.end} does not match its stored text",
                        rows=[sel.line],
                        values=[passage[:60], sel.description[:60]],
                        fix="re-export the project; offsets count code points with an "
                        "exclusive end",
                    )
                )
                continue
            if sel.refs and not _clean(passage):
                errors.append(
                    InputError(
                        file,
                        f"{where}: the coded passage is only white space",
                        rows=[sel.line],
                        values=[src.name, sel.guid.lower()],
                        fix="code a passage with words in the QDA tool, or remove the coding",
                    )
                )
                continue
            out.append(Passage(src, sel, sp[0], sp[1], passage))
    return out, errors, convention


def _clean(passage: str) -> str:
    return passage.replace("\r\n", "\n").replace("\r", "\n").strip()


def read_passages(path: Path | str, setting: str = "auto") -> tuple[Project, str, list[Passage]]:
    """Every coded selection's passage, without a codebook: (project, convention, passages)."""
    file, project, a = _open(path)
    try:
        coded = [s for s in project.sources if any(sel.refs for sel in s.selections)]
        if not coded:
            raise _no_coding(file, project)
        texts, errors = _texts(project, coded, a, file)
    finally:
        a.close()
    convention = offsets.from_origin(project.origin, setting)
    passages, more, _ = _passages(
        project, texts, convention, setting, file, project.origin == names.OWN_ORIGIN
    )
    if errors or more:
        raise combine(errors + more)
    return project, convention, passages


def _segment_ids(passages: list[Passage]) -> dict[str, str]:
    """Selection names when every coded selection has a distinct, well-formed one;
    else the selections' GUIDs."""
    nm = [p.selection.name for p in passages]
    if all(SEGMENT_ID.match(n) for n in nm) and len(set(nm)) == len(nm):
        return {p.selection.guid: p.selection.name for p in passages}
    return {p.selection.guid: p.selection.guid.lower() for p in passages}


def read_qdpx(
    path: Path | str,
    codebook: Design,
    codes_table: pd.DataFrame | None = None,
    code_map: dict[str, str] | None = None,
    participant_ids: list[str] | None = None,
    participant_map: dict[str, str] | None = None,
    setting: str = "auto",
    participants_file: str = "participants.csv",
    map_file: str | None = None,
    code_map_file: str = "code_map.csv",
) -> Read:
    """Codes and segments of a ``.qdpx`` (with the line of each code and CodeRef).

    ``codes_table`` (the codebook's codes: code_id, subtheme_id, code_label) lets
    codes be matched by name; ``code_map`` maps ``/``-joined name paths to code ids.
    """
    return read_qdpx_coded(
        path, codebook, codes_table, code_map, participant_ids, participant_map, setting,
        participants_file, map_file, code_map_file,
    ).read  # fmt: skip


def read_qdpx_coded(
    path: Path | str,
    codebook: Design,
    codes_table: pd.DataFrame | None = None,
    code_map: dict[str, str] | None = None,
    participant_ids: list[str] | None = None,
    participant_map: dict[str, str] | None = None,
    setting: str = "auto",
    participants_file: str = "participants.csv",
    map_file: str | None = None,
    code_map_file: str = "code_map.csv",
) -> Coded:
    """``read_qdpx`` with the coder, source and offsets of every segment."""
    if setting not in offsets.CONVENTIONS:
        raise InputError(
            "config/config.yaml",
            f"unknown {OFFSETS_KEY} {setting!r}",
            column=OFFSETS_KEY,
            fix=f"use one of: {', '.join(offsets.CONVENTIONS)}",
        )
    file, project, a = _open(path)
    errors: list[InputError] = []
    try:
        if project.other_coded:
            errors.append(
                InputError(
                    file,
                    "coded sources that are not text (this reader reads text sources only): "
                    + ", ".join(f"<{k}> '{n}'" for k, n, _ in project.other_coded),
                    rows=[ln for _, _, ln in project.other_coded],
                    values=[n for _, n, _ in project.other_coded],
                    fix="code the transcripts as text sources, or export without the media sources",
                )
            )
        whole = [s for s in project.sources if s.whole_codings]
        if whole:
            errors.append(
                InputError(
                    file,
                    "sources coded as a whole (a <Coding> of the source, no passage): "
                    + ", ".join(f"'{s.name}'" for s in whole),
                    rows=[s.line for s in whole],
                    values=[s.name for s in whole],
                    fix="code passages of the transcript, not the whole source",
                )
            )
        coded = [s for s in project.sources if any(sel.refs for sel in s.selections)]
        if not coded:
            if errors:
                raise combine(errors)
            raise _no_coding(file, project)
        texts, more = _texts(project, coded, a, file)
        errors += more
    finally:
        a.close()
    own = project.origin == names.OWN_ORIGIN
    convention = offsets.from_origin(project.origin, setting)
    passages, more, _ = _passages(project, texts, convention, setting, file, own)
    errors += more
    notes = [
        f"{rel(path)}: origin '{project.origin}', offsets counted as {convention}"
        + (" (interviews.offsets: auto)" if setting == "auto" else f" ({OFFSETS_KEY})")
    ]

    index = names.NameIndex(codebook, codes_table, code_map or {})
    matched = names.match_codes(project.codes, index, own)
    pids, more = participants.assign(
        project,
        coded,
        list(participant_ids) if participant_ids is not None else _all_names(project, coded),
        participant_map or {},
        file,
        participants_file,
        map_file,
    )
    errors += more

    rq_of = codebook.subthemes.set_index("subtheme_id")["rq"]
    ids = _segment_ids(passages)
    coder_of, more = _coders(project, passages, file)
    errors += more
    source_of = _source_keys(passages)
    seg_rows, seg_lines, coding_rows = [], [], []
    unmapped_use: dict[str, list[str]] = {}
    category_use: dict[str, list[str]] = {}
    unknown: list[tuple[str, int]] = []
    for p in passages:
        where = f"source '{p.source.name}', selection {p.selection.guid.lower()}"
        refs = p.selection.refs
        for i, ref in enumerate(refs, start=1):
            if ref.target in matched.codes:
                cid, sid, _, _ = matched.codes[ref.target]
                if p.source.guid not in pids:
                    continue
                seg_id = ids[p.selection.guid] + ("" if len(refs) == 1 else f".{i}")
                coding_rows.append(
                    {
                        "segment_id": seg_id,
                        "coder": coder_of.get(id(ref), ""),
                        "source": source_of[p.source.guid],
                        "start": p.start,
                        "end": p.end,
                    }
                )
                seg_rows.append(
                    {
                        "segment_id": seg_id,
                        "participant_id": pids[p.source.guid],
                        "rq": rq_of.get(sid, ""),
                        "code_id": cid,
                        "subtheme_id": sid,
                        "key_point": p.selection.description
                        if own and p.selection.description
                        else _clean(p.text),
                    }
                )
                seg_lines.append(ref.line)
            elif ref.target in matched.unmatched:
                unmapped_use.setdefault(ref.target, []).append(where)
            elif ref.target in matched.categories:
                category_use.setdefault(ref.target, []).append(where)
            else:
                unknown.append((where, ref.line))
    if unmapped_use:
        listed = []
        for g, uses in sorted(unmapped_use.items(), key=lambda kv: matched.unmatched[kv[0]]):
            qpath = matched.unmatched[g]
            near = index.suggestions(qpath.rsplit("/", 1)[-1])
            listed.append(
                f"'{qpath}' ({len(uses)} coding(s), first at {uses[0]}; closest codebook "
                f"names: {', '.join(repr(n) for n in near) or 'none'}; code_map key "
                f"qda_path='{qpath}')"
            )
        errors.append(
            InputError(
                file,
                f"{len(unmapped_use)} coded name(s) map to no theme, subtheme or code of the "
                "codebook:\n    " + "\n    ".join(listed),
                fix="rename each code in the QDA tool to its codebook name (theme_name / "
                "subtheme_name / code_label), or map its name path in "
                f"{code_map_file} (CSV qda_path,code_id; interviews.code_map)",
            )
        )
    if category_use:
        listed = [
            f"'{matched.categories[g]}' ({len(u)} coding(s), first at {u[0]})"
            for g, u in sorted(category_use.items(), key=lambda kv: matched.categories[kv[0]])
        ]
        errors.append(
            InputError(
                file,
                "passages coded with a theme or subtheme itself, not with one of its codes: "
                + "; ".join(listed),
                fix="code the passages with a code under the subtheme, or map the name "
                f"path to a code id in {code_map_file} (CSV qda_path,code_id)",
            )
        )
    if unknown:
        errors.append(
            InputError(
                file,
                "CodeRef(s) pointing to no code of the project's codebook: "
                + "; ".join(w for w, _ in unknown[:10]),
                rows=[ln for _, ln in unknown],
                fix="re-export the project from the QDA tool (a code was deleted but its "
                "codings kept)",
            )
        )
    errors += _code_map_problems(index, matched, code_map_file)
    if errors:
        raise combine(errors)
    code_rows, code_lines, seen = [], [], set()
    for cid, sid, label, line in matched.codes.values():
        if cid in seen:
            continue
        seen.add(cid)
        code_rows.append(
            {"code_id": cid, "rq": rq_of.get(sid, ""), "subtheme_id": sid, "code_label": label}
        )
        code_lines.append(line)
    codes = pd.DataFrame(code_rows, columns=["code_id", "rq", "subtheme_id", "code_label"])
    segments = pd.DataFrame(
        seg_rows,
        columns=["segment_id", "participant_id", "rq", "code_id", "subtheme_id", "key_point"],
    )
    codings = pd.DataFrame(coding_rows, columns=["segment_id", "coder", "source", "start", "end"])
    lengths = {source_of[g]: len(t) for g, t in texts.items() if g in source_of}
    read = Read(codes, pd.Series(code_lines, dtype=int), segments,
                pd.Series(seg_lines, dtype=int), notes)  # fmt: skip
    return Coded(read, codings, lengths)


def _source_keys(passages: list[Passage]) -> dict[str, str]:
    """Each coded source's name, or its GUID where two sources share a name."""
    names_of: dict[str, set[str]] = {}
    for p in passages:
        names_of.setdefault(p.source.name, set()).add(p.source.guid)
    return {
        p.source.guid: p.source.name if len(names_of[p.source.name]) == 1 else p.source.guid.lower()
        for p in passages
    }


def _coders(project: Project, passages: list[Passage], file: str):
    """The coder (user name) of each CodeRef, keyed by id(ref), and the problems.

    A coding's creatingUser (else its selection's) must name a <User> of the project;
    codings without any creatingUser are attributed only when at most one user coded.
    """
    coder_of: dict[int, str] = {}
    unlisted: dict[str, list[tuple[str, int]]] = {}
    anonymous: list[tuple[str, int]] = []
    for p in passages:
        where = f"source '{p.source.name}', selection {p.selection.guid.lower()}"
        for ref in p.selection.refs:
            if not ref.user:
                anonymous.append((where, ref.line))
            elif ref.user in project.users:
                coder_of[id(ref)] = project.users[ref.user]
            else:
                unlisted.setdefault(ref.user, []).append((where, ref.user_line))
    errors = []
    for user, uses in sorted(unlisted.items()):
        errors.append(
            InputError(
                file,
                f"<Coding> (or its <PlainTextSelection>) with creatingUser {user.lower()} "
                f"that <Users> does not list ({len(uses)} coding(s), first at {uses[0][0]}): "
                "whose coding it is cannot be told",
                rows=sorted({ln for _, ln in uses}),
                values=[user.lower()],
                fix=f'add <User guid="{user.lower()}" name="..."/> to the project\'s <Users> '
                "(the coder's name), or re-export the project from the QDA tool with its users",
            )
        )
    names_used = set(coder_of.values())
    if anonymous and len(names_used) >= 2:
        errors.append(
            InputError(
                file,
                f"{len(anonymous)} <Coding>(s) without creatingUser in a project coded by "
                f"{len(names_used)} users ({', '.join(sorted(names_used))}), first at "
                f"{anonymous[0][0]}: the coder of these codings cannot be told",
                rows=sorted({ln for _, ln in anonymous}),
                fix="set creatingUser on every <Coding> to the GUID of its coder's <User> (or "
                "re-export the project from the QDA tool with its users)",
            )
        )
    elif anonymous:
        only = next(iter(names_used), "")
        for p in passages:
            for ref in p.selection.refs:
                coder_of.setdefault(id(ref), only)
    return coder_of, errors


def _code_map_problems(index, matched, code_map_file: str) -> list[InputError]:
    """code_map rows that name no code path of the project, or no code of the codes table."""
    errors = []
    stale = sorted(set(index.code_map) - matched.map_used)
    if stale:
        pool = list(matched.paths.values())
        listed = []
        for key in stale:
            near = difflib.get_close_matches(index.map_keys[key], pool, n=1, cutoff=0.6)
            listed.append(
                f"'{index.map_keys[key]}'" + (f" (closest path: '{near[0]}')" if near else "")
            )
        errors.append(
            InputError(
                code_map_file,
                f"{len(stale)} qda_path(s) name no code of the project: " + "; ".join(listed),
                column="qda_path",
                values=[index.map_keys[k] for k in stale],
                fix="write the '/'-joined names from the top of the project's code tree, as the "
                "QDA tool shows them, or remove the row",
            )
        )
    if index.codes_known:
        unknown = sorted(
            {(index.map_keys[k], index.code_map[k]) for k in matched.map_used}
            - {(index.map_keys[k], v) for k, v in index.code_map.items() if v in index.code_sub}
        )
        if unknown:
            errors.append(
                InputError(
                    code_map_file,
                    "code_id(s) not listed in interviews.codes: "
                    + "; ".join(f"'{p}' -> {c}" for p, c in unknown),
                    column="code_id",
                    values=[c for _, c in unknown],
                    fix="use a code_id of the codes table (interviews.codes), or add the code "
                    "there with its subtheme",
                )
            )
    return errors


def _all_names(project: Project, coded: list[Source]) -> list[str]:
    """Without a participants list: the case names, else each source's own name."""
    if project.cases:
        return sorted({c.name for c in project.cases})
    return sorted({s.name.rsplit(".", 1)[0] if "." in s.name else s.name for s in coded})


def read_mapping(path, columns: list[str], what: str) -> dict[str, str]:
    m = read_csv_text(path, required=columns)
    keys = m[columns[0]].str.strip()
    dup = keys.duplicated(keep=False)
    if dup.any():
        raise InputError(
            rel(path),
            f"{what}: the same {columns[0]} given twice",
            column=columns[0],
            rows=[int(i) + 2 for i in m.index[dup]],
            values=sorted(set(keys[dup])),
            fix=f"give each {columns[0]} one row",
        )
    return dict(zip(keys, m[columns[1]].str.strip(), strict=True))


def load_qdpx_interviews(
    path: Path | str,
    participants_path: Path | str,
    codebook: Design,
    codes_path: Path | str | None = None,
    code_map_path: Path | str | None = None,
    participant_map_path: Path | str | None = None,
    setting: str = "auto",
) -> CodedInterviews:
    participants_df = load_participants(participants_path, codebook)
    codes_table = read_csv_text(codes_path, required=CODE_COLUMNS) if codes_path else None
    code_map = (
        read_mapping(code_map_path, ["qda_path", "code_id"], "interviews.code_map")
        if code_map_path
        else None
    )
    pmap = (
        read_mapping(participant_map_path, participants.MAP_COLUMNS, participants.MAP_KEY)
        if participant_map_path
        else None
    )
    coded_read = read_qdpx_coded(
        path,
        codebook,
        codes_table,
        code_map,
        participants_df["participant_id"].tolist(),
        pmap,
        setting,
        participants_file=rel(participants_path),
        map_file=rel(participant_map_path) if participant_map_path else None,
        code_map_file=rel(code_map_path) if code_map_path else "code_map.csv",
    )
    got = coded_read.read
    file = _label(path)
    coded = assemble(
        got.codes,
        got.code_lines,
        file,
        got.segments,
        got.segment_lines,
        file,
        participants_df,
        rel(participants_path),
        codebook,
    )
    return CodedInterviews(
        coded.participants,
        coded.codes,
        coded.segments,
        coded.codebook,
        tuple(got.notes),
        coded_read.codings,
        coded_read.lengths,
    )
