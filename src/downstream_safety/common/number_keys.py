"""The one rule that turns the study's ids and labels into number keys.

Every stage's ``numbers.csv`` names its numbers by keys such as
``mean__imp_finetune_data`` or ``codes__rq1``: a fixed prefix, then the ids the
number belongs to, joined by ``__``. Ids are free-form (``RQ-A``, ``Q.1``,
``25+``, ``CV, NLP``), keys are not (lower case letters, digits and ``_``, so
that they are valid LaTeX macro names once rendered and stable across
platforms). The rule for one part:

1. lower-case the text;
2. write ``+`` as ``plus`` (``25+`` -> ``25_plus``);
3. replace every run of characters other than ``a-z``, ``0-9`` and ``_`` by
   one ``_``;
4. drop ``_`` at both ends.

So ``RQ-A`` -> ``rq_a``, ``Q.1`` -> ``q_1``, ``More than 25`` ->
``more_than_25``, and an id that is already lower_snake_case
(``freq_user_feedback__data``) is its own part. Keys are names: the package
never splits them at ``__``. Two ids of the same kind that give the same part
(``RQ-A`` and ``rq_a``) would give one key for two numbers:
:func:`refuse_collisions` refuses them when the design is read, naming both;
an id that gives an empty part (``---``) is refused too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from downstream_safety.common.errors import InputError

SEP = "__"
KEY = r"^[a-z][a-z0-9_]*$"
RULE = (
    "a number key part is the id in lower case, with '+' written as 'plus' and every "
    "run of other characters than a-z, 0-9 and '_' replaced by one '_' (no '_' at "
    "either end)"
)
_OTHER = re.compile(r"[^a-z0-9_]+")


def part(text: object) -> str:
    """One key part from a free-form id or label (the rule above); may be empty."""
    return _OTHER.sub("_", str(text).lower().replace("+", " plus ")).strip("_")


def key(*parts: object) -> str:
    """The number key of ``parts`` (a prefix such as ``mean``, then ids), each by
    :func:`part`, joined by ``__``."""
    out = [part(p) for p in parts]
    if not out or not all(out) or not re.match(KEY, out[0]):
        raise ValueError(
            f"number key from {parts!r} has an empty part or starts with a digit: "
            "a bug in the package (ids are checked when the design is read)"
        )
    return SEP.join(out)


def collisions(ids: Iterable[object]) -> list[tuple[str, str, str]]:
    """(first id, second id, their part) for every later id whose part an earlier id
    already gives, and (id, id, '') for an id with an empty part; ids in order."""
    seen: dict[str, str] = {}
    out = []
    for raw in ids:
        text = str(raw)
        p = part(text)
        if not p:
            out.append((text, text, ""))
        elif p in seen and seen[p] != text:
            out.append((seen[p], text, p))
        else:
            seen.setdefault(p, text)
    return out


def refuse_collisions(
    ids: Sequence[object],
    *,
    file: str,
    column: str,
    what: str,
    rows: Sequence[int] | None = None,
) -> None:
    """Raise an InputError naming both ids when two of ``ids`` (one kind, e.g. the
    research questions) give the same key part, or one gives an empty part.

    ``rows`` are the file rows of ``ids`` (same order), for the message.
    """
    found = collisions(ids)
    if not found:
        return
    texts = [str(i) for i in ids]
    row_of = dict(zip(texts, rows, strict=True)) if rows is not None else {}
    problems, bad_rows, values = [], [], []
    for a, b, p in found:
        if p:
            problems.append(f"{what} ids '{a}' and '{b}' give the same number key part '{p}'")
            values += [a, b]
        else:
            problems.append(f"{what} id '{a}' gives an empty number key part")
            values.append(a)
        bad_rows += [row_of[t] for t in (a, b) if t in row_of]
    raise InputError(
        file,
        "; ".join(problems),
        column=column,
        rows=sorted(set(bad_rows)) or None,
        values=list(dict.fromkeys(values)),
        fix=f"rename one of them so that each gives its own key: {RULE}",
    )
