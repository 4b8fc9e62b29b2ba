"""The project's code tree matched to the codebook.

A tool's project knows codes by their names only (``<Description>`` is the
coder's free memo there): a theme by ``theme_name``, a subtheme within its
theme by ``subtheme_name`` or ``short_label``, a code within its subtheme by
``code_label`` of the codes table. ``code_map`` (``qda_path,code_id``) maps a
``/``-joined name path to a code id when the names differ. A top-level code
whose name is no theme is a folder above the themes only when something
beneath it matches; otherwise it and everything under it map to nothing.

The package's own projects (``origin="downstream_safety"``) carry the codebook
ids in ``<Description>``; only there are they read as ids.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import pandas as pd

from downstream_safety.instruments.design import Design
from downstream_safety.interviews.refi.project import Code

OWN_ORIGIN = "downstream_safety"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def norm(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def path_key(path: list[str]) -> str:
    return "/".join(norm(p) for p in path)


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return s if s and s[0].isalpha() else f"c_{s}"


class NameIndex:
    """Codebook names to ids: themes by theme_name, subthemes by subtheme_name (or
    short_label) within their theme, codes by code_label within their subtheme."""

    def __init__(self, codebook: Design, codes: pd.DataFrame | None, code_map: dict[str, str]):
        t, s = codebook.themes, codebook.subthemes
        self.theme_ids = set(t["theme_id"])
        self.sub_ids = set(s["subtheme_id"])
        self.theme = {norm(n): i for i, n in zip(t["theme_id"], t["theme_name"], strict=True)}
        self.sub: dict[tuple[str, str], str] = {}
        self.names: dict[str, str] = {norm(n): n for n in t["theme_name"]}
        for tid, sid, name, short in zip(
            s["theme_id"], s["subtheme_id"], s["subtheme_name"], s["short_label"], strict=True
        ):
            self.sub[(tid, norm(short))] = sid
            self.sub[(tid, norm(name))] = sid
            self.names.setdefault(norm(name), name)
        self.code: dict[tuple[str, str], str] = {}
        self.code_sub: dict[str, str] = {}
        self.code_label: dict[str, str] = {}
        if codes is not None:
            for cid, sid, label in zip(
                codes["code_id"], codes["subtheme_id"], codes["code_label"], strict=True
            ):
                self.code[(sid, norm(label))] = cid
                self.code_sub[cid] = sid
                self.code_label[cid] = label
                self.names.setdefault(norm(label), label)
        self.code_map = {path_key(k.split("/")): v for k, v in code_map.items()}
        self.map_keys = {path_key(k.split("/")): k for k in code_map}  # as the user wrote it
        self.codes_known = codes is not None

    def suggestions(self, name: str, n: int = 3) -> list[str]:
        """The closest codebook names (difflib), for the unmapped-name error."""
        near = difflib.get_close_matches(norm(name), list(self.names), n=n, cutoff=0.5)
        return [self.names[k] for k in near]


@dataclass
class Matched:
    """What each code GUID of the project is."""

    codes: dict[str, tuple[str, str, str, int]] = field(default_factory=dict)
    # guid -> (code_id, subtheme_id, label, line)
    categories: dict[str, str] = field(default_factory=dict)  # guid -> path (theme/subtheme)
    unmatched: dict[str, str] = field(default_factory=dict)  # guid -> '/'-joined name path
    paths: dict[str, str] = field(default_factory=dict)  # guid -> '/'-joined name path
    map_used: set[str] = field(default_factory=set)  # code_map keys that named a code


def match_codes(tree: list[Code], index: NameIndex, own: bool) -> Matched:
    out = Matched()

    def walk(nodes: list[Code], theme, sub, path, dead, result: Matched) -> None:
        for c in nodes:
            cpath = [*path, c.name]
            key = path_key(cpath)
            result.paths[c.guid] = "/".join(cpath)
            d = c.description if own else ""
            name = norm(c.name)
            # What this node is, and the context of its children.
            code_id = None
            role, ctx = "unmatched", (theme, sub, True)
            if dead:
                pass
            elif d and d in index.theme_ids and not theme:
                role, ctx = "category", (d, None, False)
            elif d and d in index.sub_ids and theme and not sub:
                role, ctx = "category", (theme, d, False)
            elif own and sub and _ID.match(d) and not c.children:
                role, code_id = "code", d
            elif sub and (sub, name) in index.code:
                role, code_id = "code", index.code[(sub, name)]
            elif sub and not index.codes_known and not own:
                role, code_id = "code", slug(c.name)
            elif theme and not sub and (theme, name) in index.sub:
                role, ctx = "category", (theme, index.sub[(theme, name)], False)
            elif not theme and name in index.theme:
                role, ctx = "category", (index.theme[name], None, False)
            elif not theme and _any_match(c, cpath):  # a folder above the themes
                role, ctx = "category", (None, None, False)
            if key in index.code_map:  # the user's code_map.csv: codings of this node
                role, code_id = "code", index.code_map[key]
                result.map_used.add(key)
            if role == "code":
                result.codes[c.guid] = (
                    code_id,
                    index.code_sub.get(code_id, sub or ""),
                    index.code_label.get(code_id) or c.name or code_id,
                    c.line,
                )
            elif role == "category":
                result.categories[c.guid] = "/".join(cpath)
            else:
                result.unmatched[c.guid] = "/".join(cpath)
            walk(c.children, ctx[0], ctx[1], cpath, ctx[2], result)

    def _any_match(c: Code, cpath) -> bool:
        trial = Matched()
        walk(c.children, None, None, cpath, False, trial)
        return bool(trial.codes or trial.categories)

    walk(tree, None, None, [], False, out)
    return out
