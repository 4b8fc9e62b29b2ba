"""Self-audit of printed statistics: GRIM/GRIMMER on the published means and
percentages and on the package's own rendered ones, and a statcheck-style
recomputation of every p-value the package renders."""

from __future__ import annotations

import math

import pandas as pd

from downstream_safety.common import number_keys
from downstream_safety.paper.consistency import (
    decision_error,
    grim,
    grim_informative,
    grim_percent,
    p_from_z,
    p_matches,
)
from downstream_safety.paper.macros import render_value
from downstream_safety.paper.precision import parse_published, render_p

COLUMNS = ["check", "target", "source", "reported", "n", "items", "recomputed", "result", "note"]


def _row(check, target, source, reported, n, items, recomputed, result, note) -> dict:
    values = [check, target, source, reported, n, items, recomputed, result, note]
    return dict(zip(COLUMNS, values, strict=True))


def _largest_possible_n(reported: str, n: int, items: int, percent: bool) -> int | None:
    for m in range(n - 1, 0, -1):
        ok = grim_percent(reported, m) if percent else grim(reported, m, items)
        if ok:
            return m
    return None


def grim_published(claims: pd.DataFrame, samples: pd.DataFrame) -> list[dict]:
    """GRIM on every published mean and percentage, at the paper's stated n."""
    rows = []
    # The samples' basis (where n comes from) is not the claim's evidence basis.
    merged = claims[["claim_id", "published", "unit"]].merge(
        samples, on="claim_id", how="inner", validate="one_to_one"
    )
    for r in merged.sort_values("claim_id").itertuples(index=False):
        parsed = parse_published(r.published)
        if parsed is None or parsed.comparator:
            continue
        value = r.published.strip()
        percent = r.unit == "%"
        n, items = int(r.n), int(r.items)
        ok = grim_percent(value, n) if percent else grim(value, n, items)
        informative = grim_informative(value, n, items, percent=percent)
        notes = [f"n = {n} ({r.basis})"]
        if not informative:
            notes.append("uninformative: n x items is at least the number of printable values")
        if items > 1:
            notes.append("an aggregate over items; exact only if every item has the same n")
        if not ok:
            alt = _largest_possible_n(value, n, items, percent)
            if alt is not None:
                notes.append(f"possible with n = {alt} (e.g. missing answers)")
        rows.append(
            _row(
                "grim",
                r.claim_id,
                "published",
                value,
                n,
                items,
                "",
                "consistent" if ok else "inconsistent",
                "; ".join(notes),
            )
        )
    return rows


def grimmer_published(claims: pd.DataFrame, samples: pd.DataFrame) -> list[dict]:
    """GRIMMER needs a reported SD; the paper reports none, which each row says."""
    means = claims[claims["unit"] == "mean"].merge(samples, on="claim_id", how="inner")
    return [
        _row(
            "grimmer",
            r.claim_id,
            "published",
            r.published.strip(),
            int(r.n),
            int(r.items),
            "",
            "not_applicable",
            "the paper publishes no standard deviation, so GRIMMER cannot be run",
        )
        for r in means.sort_values("claim_id").itertuples(index=False)
    ]


def grim_package(values: dict[str, float]) -> list[dict]:
    """GRIM on the package's own rendered means and top-2 shares (n_valid per item)."""
    rows = []
    for key in sorted(values):
        prefix, _, item = key.partition("__")
        if prefix not in {"mean", "pct_top2", "pct_lowest", "pct_bottom2"} or not item:
            continue
        n_key = number_keys.key("n_valid", item)
        if n_key not in values or values[n_key] < 1:
            continue
        n = int(values[n_key])
        text = render_value(key, values[key])
        percent = prefix != "mean"
        ok = grim_percent(text, n) if percent else grim(text, n)
        rows.append(
            _row(
                "grim",
                key,
                "package",
                text,
                n,
                1,
                "",
                "consistent" if ok else "inconsistent",
                f"n = {n} valid answers ({n_key})",
            )
        )
    return rows


def statcheck_package(tests: pd.DataFrame, alternative: str, alpha: float) -> list[dict]:
    """Recompute each rendered p from its z statistic (scipy.stats.norm)."""
    rows = []
    zcol = next((c for c in ("z", "z_statistic", "zstatistic") if c in tests.columns), None)
    order = ["wave", "practice", "concern_a", "concern_b"]
    for r in tests.sort_values(order).to_dict("records"):
        target = f"{r['wave']}:p__{r['practice']}__{r['concern_a']}__{r['concern_b']}"
        reported = render_p(float(r["p_value"]))
        n = int(r["n_pairs"])
        if zcol is not None and not pd.isna(r[zcol]):
            z = float(r[zcol])
            basis = f"z from the {zcol} column"
        elif not pd.isna(r.get("effect_size_r")) and n > 0:
            z = abs(float(r["effect_size_r"])) * math.sqrt(n)
            basis = "z = |r| x sqrt(n_pairs) (no z column)"
        else:
            rows.append(
                _row(
                    "statcheck",
                    target,
                    "package",
                    reported,
                    n,
                    pd.NA,
                    "",
                    "not_applicable",
                    "no z statistic or effect size r to recompute from",
                )
            )
            continue
        p = p_from_z(z, alternative)
        ok = p_matches(reported, p)
        notes = [basis, f"{alternative} normal approximation"]
        if not ok and decision_error(reported, p, alpha):
            notes.append(f"decision error at alpha = {alpha}")
        rows.append(
            _row(
                "statcheck",
                target,
                "package",
                reported,
                n,
                pd.NA,
                f"{p:.6f}",
                "consistent" if ok else "inconsistent",
                "; ".join(notes),
            )
        )
    return rows


def build_audit(
    claims: pd.DataFrame,
    samples: pd.DataFrame,
    values: dict[str, float],
    tests: pd.DataFrame | None,
    *,
    alternative: str = "two-sided",
    alpha: float = 0.05,
) -> pd.DataFrame:
    rows = grim_published(claims, samples) + grimmer_published(claims, samples)
    rows += grim_package(values)
    if tests is not None:
        rows += statcheck_package(tests, alternative, alpha)
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["n"] = df["n"].astype("Int64")
    df["items"] = df["items"].astype("Int64")
    return df.reset_index(drop=True)
