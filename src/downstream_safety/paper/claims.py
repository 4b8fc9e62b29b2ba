"""Compare every published number with the package's computed numbers.

The mapping from a claim to a computed number is data (the ``number_key``
column of ``data/raw/published/claims.csv``), so a renamed key is fixed in
one cell. A key may be a plain numbers.csv key or one of a few expressions:
``max(a,b,...)``, ``min(...)``, ``sum(...)``, ``sub(a,b)`` (a - b) and
``rank(a,b,...)`` (the ranks of a, b, ... among all keys with the same prefix
whose suffix is a concern subtheme id, spelled as ordinal words).

Notes that are facts about the paper come from the claims file; notes about
the computation (missing key, the unrounded computed value) are generated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from downstream_safety.paper.precision import parse_published, render, round_half_up

_EXPR = re.compile(r"^(?P<fn>max|min|sum|sub|rank)\((?P<args>[a-z0-9_,]+)\)$")
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]


@dataclass(frozen=True)
class Computed:
    value: float | None = None
    text: str | None = None  # for non-numeric results (ranks)
    missing: tuple[str, ...] = ()


def evaluate(expr: str, values: dict[str, float], rank_ids: list[str] | None = None) -> Computed:
    """Value of a number_key expression; lists the keys that are missing."""
    m = _EXPR.match(expr)
    if not m:
        return Computed(values[expr]) if expr in values else Computed(missing=(expr,))
    fn, args = m.group("fn"), m.group("args").split(",")
    missing = tuple(a for a in args if a not in values)
    if missing:
        return Computed(missing=missing)
    xs = [values[a] for a in args]
    if fn == "max":
        return Computed(max(xs))
    if fn == "min":
        return Computed(min(xs))
    if fn == "sum":
        return Computed(float(sum(xs)))
    if fn == "sub":
        if len(xs) != 2:
            raise ValueError(f"sub() takes two keys: {expr}")
        return Computed(xs[0] - xs[1])
    # rank: compare with the same-prefix keys of the given ids (descending).
    ranks = []
    for a in args:
        prefix = a.rsplit("__", 1)[0] + "__"
        pool = [values[prefix + i] for i in (rank_ids or []) if prefix + i in values]
        if not pool:
            return Computed(missing=(a,))
        ranks.append(1 + sum(v > values[a] for v in pool))
    return Computed(text=" and ".join(ORDINALS[r - 1] for r in ranks))


def _compare(published: str, unit: str, key: str, c: Computed) -> tuple[str, str, str]:
    """(computed text, status, generated note) for one claim with a value."""
    if c.text is not None:
        same = c.text == published.strip()
        return c.text, ("reproduced" if same else "differs"), ""
    parsed = parse_published(published)
    value = c.value
    if parsed is None:
        return (
            render(value, 2),
            "not_computable",
            "the published value is not a single number, so it is not compared",
        )
    if unit == "fraction" and "pct" in key:
        value = value / 100.0
    shown = render(value, parsed.decimals)
    got = round_half_up(value, parsed.decimals)
    cmp = parsed.comparator
    raw = Decimal(repr(float(value)))
    ok = {
        "": got == parsed.value,
        "≈": got == parsed.value,
        ">": raw > parsed.value,
        "≥": raw >= parsed.value,
        "<": raw < parsed.value,
        "≤": raw <= parsed.value,
    }[cmp]
    if cmp in {">", "≥", "<", "≤"}:
        shown = f"{render(value, max(parsed.decimals, 3))}"
    note = "" if ok else f"computed {float(value):.6g} (unrounded)"
    return shown, ("reproduced" if ok else "differs"), note


def audit_claims(
    claims: pd.DataFrame, values: dict[str, float], rank_ids: list[str] | None = None
) -> pd.DataFrame:
    """One row per claim: computed at the published precision, status, note."""
    out = []
    for row in claims.itertuples(index=False):
        key = row.number_key
        computed, status, gen = "", "not_computable", ""
        if not key:
            gen = "" if row.note else "no numbers.csv key is mapped to this claim"
        else:
            c = evaluate(key, values, rank_ids)
            if c.missing:
                gen = f"no computed value (missing key: {', '.join(c.missing)})"
            else:
                computed, status, gen = _compare(row.published, row.unit, key, c)
        note = "; ".join(p for p in (row.note, gen) if p) if status != "reproduced" else row.note
        if status != "reproduced" and not note:
            note = "the computed value differs from the published one"
        out.append(
            {
                "claim_id": row.claim_id,
                "section": row.section,
                "quantity": row.quantity,
                "published": row.published,
                "computed": computed,
                "status": status,
                "note": note,
            }
        )
    columns = ["claim_id", "section", "quantity", "published", "computed", "status", "note"]
    return pd.DataFrame(out, columns=columns)


def summary_counts(audited: pd.DataFrame) -> dict[str, int]:
    counts = audited["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in ("reproduced", "differs", "not_computable")}
