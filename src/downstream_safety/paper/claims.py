"""Compare every published number with the package's computed numbers.

The mapping from a claim to a computed number is data (the ``number_key``
column of ``data/raw/published/claims.csv``), so a renamed key is fixed in
one cell. A key may be a plain numbers.csv key or one of a few expressions:
``max(a,b,...)``, ``min(...)``, ``sum(...)``, ``sub(a,b)`` (a - b) and
``rank(a,b,...)`` (the ranks of a, b, ... among all keys with the same prefix
whose suffix is a concern subtheme id, spelled as ordinal words).

Notes that are facts about the paper come from the claims file; notes about
the computation (missing key, the unrounded computed value) are generated.

The status is decided here, from the registry's ``basis`` and ``assumption``
columns, never typed into the registry: a design or none claim is not
computable; a claim that matches only under an assumption is
``reproduced_assuming`` (see ``assumptions``), never plain ``reproduced``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from downstream_safety.common import number_keys
from downstream_safety.paper import assumptions
from downstream_safety.paper.precision import parse_published, render, round_half_up
from downstream_safety.paper.schemas import BASES, EVIDENCE, REAL_VERDICTS, STATUSES

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


def _assumed(
    row, computed: Computed, status: str, values: dict[str, float], answers, samples, groups
) -> tuple[str, str]:
    """(status, generated note) of a claim that carries an assumption.

    A claim that matches only under an assumption is never plainly reproduced.
    """
    kind, arg = assumptions.parse(row.assumption)
    if kind == "missing_answers":
        k = int(arg)
        n = _n_of(row.number_key, values, answers)
        answers_k = f"{k} missing answer{'s' if k > 1 else ''}"
        if status == "reproduced":
            return "reproduced_assuming", f"assuming {answers_k}: the data lack answers (n = {n})"
        options = assumptions.values_without(row.number_key, k, values, answers)
        hits = [v for v in options if assumptions.prints_as(row.published, v)]
        if not hits:
            return "differs", f"not reproduced even assuming {answers_k} of the n = {n}"
        return "reproduced_assuming", (
            f"reproduced only assuming {answers_k}: all n = {n} reconstructed answers give "
            f"{float(computed.value):.6g}; without {k} of them it can be "
            f"{float(hits[0]):.6g} (n = {n - k})"
        )
    # one_of: the group cannot hold as a whole at the stated n.
    members = groups[arg]
    n = int(samples[row.claim_id])
    need = assumptions.respondents_needed([m.published for m in members], n)
    ids = ", ".join(m.claim_id for m in members)
    if need <= n:  # load.check_assumptions rejects such a registry at parse time
        raise ValueError(f"group {arg!r} ({ids}) is not contradictory at n = {n}")
    why = (
        f"which of {ids} misses is the reconstruction's choice "
        f"(together they need {need} respondents of n = {n})"
    )
    if status == "reproduced":
        return "reproduced_assuming", f"reproduced only by that choice: {why}"
    return status, f"the reconstruction chose this share to miss: {why}"


def _n_of(key: str, values: dict[str, float], answers) -> int:
    stat, item = assumptions.item_of(key) or ("", "")
    if stat == "mean":
        return int(sum(answers[item].values()))
    return int(values[number_keys.key("n_valid", item)])


def audit_claims(
    claims: pd.DataFrame,
    values: dict[str, float],
    rank_ids: list[str] | None = None,
    *,
    answers: dict[str, dict[int, int]] | None = None,
    samples: dict[str, int] | None = None,
) -> pd.DataFrame:
    """One row per claim: computed at the published precision, status, note.

    ``answers`` (item -> level -> count) and ``samples`` (claim -> the paper's
    stated n) are needed only by claims that carry an assumption.
    """
    groups: dict[str, list] = {}
    for row in claims.itertuples(index=False):
        kind, arg = assumptions.parse(row.assumption)
        if kind == "one_of":
            groups.setdefault(arg, []).append(row)
    out = []
    for row in claims.itertuples(index=False):
        key = row.number_key
        computed, status, gen = "", "not_computable", ""
        if row.basis in ("design", "none"):
            pass  # nothing is compared: the registry's note says why
        elif not key:
            gen = "no numbers.csv key is mapped to this claim"
        else:
            c = evaluate(key, values, rank_ids)
            if c.missing:
                gen = f"no computed value (missing key: {', '.join(c.missing)})"
            else:
                computed, status, gen = _compare(row.published, row.unit, key, c)
                if row.assumption:
                    status, gen = _assumed(
                        row, c, status, values, answers or {}, samples or {}, groups
                    )
        note = "; ".join(p for p in (row.note, gen) if p) if status != "reproduced" else row.note
        if status != "reproduced" and not note:
            note = "the computed value differs from the published one"
        out.append(
            {
                "claim_id": row.claim_id,
                "section": row.section,
                "quantity": row.quantity,
                "published": row.published,
                "number_key": key,
                "basis": row.basis,
                "evidence_of": EVIDENCE[row.basis],
                "computed": computed,
                "status": status,
                "note": note,
            }
        )
    # Named columns: a registry with no rows still gives the table's header.
    return pd.DataFrame(out, columns=list(CLAIM_COLUMNS))


def real_claims(published: pd.DataFrame, checks: pd.DataFrame) -> pd.DataFrame:
    """Rows of basis ``real``: each published claim checked against real AIID
    labels (``data/processed/incidents/real_checks.csv``), its verdict as status.

    They sit beside the claim's reconstructed row (claim id + ``_real``) and
    never change it.
    """
    by_id = published.set_index("claim_id")
    rows = []
    for c in checks.itertuples(index=False):
        src = by_id.loc[c.claim_id]
        key = src["number_key"] or c.claim_id.lower()
        rows.append(
            {
                "claim_id": f"{c.claim_id}_real",
                "section": src["section"],
                "quantity": f"{src['quantity']}: checked against real AIID labels ({c.compared})",
                "published": c.published,
                "number_key": number_keys.key("real", key),
                "basis": "real",
                "evidence_of": EVIDENCE["real"],
                "computed": c.real,
                "status": c.verdict,
                "note": c.reason,
            }
        )
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))


CLAIM_COLUMNS = (
    "claim_id",
    "section",
    "quantity",
    "published",
    "number_key",
    "basis",
    "evidence_of",
    "computed",
    "status",
    "note",
)


def real_part(audited: pd.DataFrame) -> str:
    """The headline's third part: the published claims checked against real labels."""
    real = audited[audited["basis"] == "real"]
    counts = real["status"].value_counts()
    parts = [f"{int(counts.get(v, 0))} {v.replace('_', ' ')}" for v in REAL_VERDICTS]
    return (
        f"{len(real)} published incident claims checked against real AIID labels: "
        + ", ".join(parts[:-1])
        + f", {parts[-1]}."
    )


def summary_counts(audited: pd.DataFrame) -> dict[str, int]:
    counts = audited["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def quantity_of(audited: pd.DataFrame) -> pd.Series:
    """The computed quantity each claim compares; a claim without one is its own."""
    return audited["number_key"].where(audited["number_key"] != "", audited["claim_id"])


def distinct_counts(audited: pd.DataFrame) -> pd.DataFrame:
    """Claims and distinct quantities per basis and status.

    Several claims often print the same quantity (the incident total five
    times); counting quantities says how many different things were checked.
    """
    df = audited.assign(quantity_id=quantity_of(audited))
    rows = []
    for basis in BASES:
        for status in STATUSES:
            part = df[(df["basis"] == basis) & (df["status"] == status)]
            if part.empty:
                continue
            rows.append(
                {
                    "basis": basis,
                    "evidence_of": EVIDENCE[basis],
                    "status": status,
                    "claims": len(part),
                    "quantities": part["quantity_id"].nunique(),
                }
            )
    return pd.DataFrame(rows, columns=["basis", "evidence_of", "status", "claims", "quantities"])


def headline(audited: pd.DataFrame) -> str:
    """The one sentence a reviewer reads first, in distinct quantities by basis."""
    df = audited.assign(quantity_id=quantity_of(audited))

    def n(basis: str, statuses: tuple[str, ...] | None = None) -> int:
        part = df[df["basis"] == basis]
        if statuses is not None:
            part = part[part["status"].isin(statuses)]
        return part["quantity_id"].nunique()

    computed = ("reproduced", "reproduced_assuming", "differs")
    rec = n("reconstructed", computed)
    text = (
        f"{rec} distinct published quantities recomputed from reconstructed records "
        f"({n('reconstructed', ('reproduced',))} reproduced, "
        f"{n('reconstructed', ('reproduced_assuming',))} only under a stated assumption, "
        f"{n('reconstructed', ('differs',))} differ): records built to match the paper, "
        "so this checks the analysis code, not the study. "
        f"{n('instrument', computed)} counted from instrument tables transcribed from the "
        f"paper (a transcription check); "
        f"{n('design') + n('none')} not computable (design settings or no data)."
    )
    if (df["basis"] == "real").any():
        text += " " + real_part(audited)
    else:
        text += " No published claim was checked against real data."
    return text
