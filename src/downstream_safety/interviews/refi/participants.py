"""Which participant each coded source belongs to.

Participant ids are whatever ``participants.csv`` lists. In order:
``interviews.participant_map`` (CSV ``source_name,participant_id``) for sources
named otherwise; a ``<Case>`` linked to the source (the case's name is the id);
without cases, the source's name: equal to an id (with or without its file
extension), or containing exactly one id as a whole word.
"""

from __future__ import annotations

import difflib
import re
from pathlib import PurePosixPath

from downstream_safety.common.errors import InputError
from downstream_safety.interviews.refi.project import Project, Source

MAP_COLUMNS = ["source_name", "participant_id"]
MAP_KEY = "interviews.participant_map"


def _stem(name: str) -> str:
    return PurePosixPath(name).stem if "." in name else name


def map_entry(source: Source, mapping: dict[str, str]) -> str | None:
    for key in (source.name, _stem(source.name)):
        if key in mapping:
            return mapping[key]
    stems = {_stem(k): v for k, v in mapping.items()}
    return stems.get(_stem(source.name))


def assign(
    project: Project,
    coded: list[Source],
    known: list[str],
    mapping: dict[str, str],
    file: str,
    participants_file: str,
    map_file: str | None,
) -> tuple[dict[str, str], list[InputError]]:
    """Participant id of each coded source (by guid), and every problem found."""
    errors: list[InputError] = []
    case_of: dict[str, list[tuple[str, int]]] = {}
    for case in project.cases:
        if not case.sources:
            errors.append(
                InputError(
                    file,
                    f"case '{case.name}' (guid {case.guid.lower()}) is linked to no source",
                    rows=[case.line],
                    values=[case.name],
                    fix="link the case to its participant's transcript in the QDA tool, "
                    "or delete the case",
                )
            )
        for ref in case.sources:
            case_of.setdefault(ref, []).append((case.name, case.line))
    names = {s.guid: s.name for s in project.sources}
    for ref, cs in case_of.items():
        if len(cs) > 1:
            errors.append(
                InputError(
                    file,
                    f"source '{names.get(ref, ref.lower())}' belongs to several cases "
                    f"(participants {', '.join(n for n, _ in cs)})",
                    rows=[ln for _, ln in cs],
                    values=[n for n, _ in cs],
                    fix="link each transcript to exactly one participant's case",
                )
            )
    used_keys: set[str] = set()
    out: dict[str, str] = {}
    ids = set(known)
    for src in coded:
        n = len(src.selections)
        where = f"source '{src.name}' ({n} selection(s))"
        pid = map_entry(src, mapping)
        how = f"{MAP_KEY} ({map_file})"
        if pid is not None:
            used_keys.update(k for k in mapping if _stem(k) == _stem(src.name))
        elif src.guid in case_of:
            pid, how = case_of[src.guid][0][0], "its case"
        elif project.cases:
            errors.append(
                InputError(
                    file,
                    f"{where} is linked to no case, though the project has cases",
                    rows=[src.line],
                    values=[src.name],
                    fix="link the transcript to its participant's case in the QDA tool, or "
                    f"add a row '{src.name},<participant_id>' to {MAP_KEY} "
                    f"(CSV {','.join(MAP_COLUMNS)})",
                )
            )
            continue
        else:
            stem = _stem(src.name)
            if src.name in ids or stem in ids:
                pid = src.name if src.name in ids else stem
                how = "its name"
            else:
                hits = [
                    p
                    for p in known
                    if re.search(rf"(?<![A-Za-z0-9]){re.escape(p)}(?![A-Za-z0-9])", stem)
                ]
                if len(hits) == 1:
                    pid, how = hits[0], "its name"
                else:
                    why = (
                        f"names several participants ({', '.join(hits)})"
                        if hits
                        else "names no participant of " + participants_file
                    )
                    errors.append(
                        InputError(
                            file,
                            f"{where} is not linked to a participant: the project has no "
                            f"cases and the source's name {why}",
                            rows=[src.line],
                            values=[src.name],
                            fix=f"add a row '{src.name},<participant_id>' to {MAP_KEY} (CSV "
                            f"{','.join(MAP_COLUMNS)}), link the source to a case named "
                            "after the participant, or rename the source to the "
                            "participant's id",
                        )
                    )
                    continue
        if pid not in ids:
            near = difflib.get_close_matches(pid, known, n=3, cutoff=0.5)
            errors.append(
                InputError(
                    file,
                    f"{where}: participant '{pid}' (from {how}) is not listed in "
                    f"{participants_file}" + (f" (closest: {', '.join(near)})" if near else ""),
                    rows=[src.line],
                    values=[src.name, pid],
                    fix=f"add the participant to {participants_file}, or map the source to "
                    f"a listed id in {MAP_KEY}",
                )
            )
            continue
        out[src.guid] = pid
    stale = sorted(set(mapping) - used_keys - {s.name for s in coded})
    stale = [k for k in stale if not any(_stem(k) == _stem(s.name) for s in project.sources)]
    if stale:
        near = {k: difflib.get_close_matches(k, [s.name for s in project.sources], n=1) for k in
                stale}  # fmt: skip
        listed = "; ".join(
            f"'{k}'" + (f" (closest source: '{near[k][0]}')" if near[k] else "") for k in stale
        )
        errors.append(
            InputError(
                map_file or MAP_KEY,
                f"{len(stale)} source_name(s) of {MAP_KEY} name no source of the project: {listed}",
                column="source_name",
                values=stale,
                fix="write each source's name as the QDA tool shows it (the TextSource's "
                "name in project.qde), or remove the row",
            )
        )
    return out, errors
