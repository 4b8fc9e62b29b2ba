"""Checks of the study's incident findings against real AIID labels.

Everything here reads the committed extract (``incidents.real_checks.extract``,
written by ``aiid-extract``), so it runs on a fresh clone with no download:

- ``real_checks``: one row per published incident claim the real labels can
  speak to, with a verdict (``corroborated``, ``contradicted``, ``mixed`` or
  ``not_checkable`` and the reason);
- ``real_shares``: each label's share of incidents and of labels under the
  three crosswalk variants (the figure's data);
- ``cset_agreement`` and ``cset_pairs``: a real inter-annotator agreement
  reference from the CSET v1 per-annotator files;
- ``keyword_quality``: the keyword pre-annotation (the extract's
  ``keyword_suggestions.csv``, made with the committed keyword rules) against
  the MIT-crosswalk labels.

The MIT classification gives one subdomain per incident, the study gave about
1.5 labels per incident, so a category is judged on its share of all labels
(a published count over all published labels), with the share of incidents
beside it.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import read_csv_text, read_table
from downstream_safety.incidents.agreement import alpha_masi, alpha_nominal, cohen_kappa
from downstream_safety.incidents.enrich import crosswalk_map
from downstream_safety.incidents.extract import (
    CSET_FILE,
    KEYWORD_FILE,
    README,
    RULES_LINE,
    field_key,
    file_sha256,
)
from downstream_safety.incidents.labels import indicator, parse
from downstream_safety.incidents.load import Taxonomy, check_label_ids
from downstream_safety.incidents.schemas import AIID_KEYWORDS, VARIANTS, VERDICTS
from downstream_safety.incidents.snapshot import INCIDENTS_FILE, load_mit
from downstream_safety.paper.claims import ORDINALS
from downstream_safety.paper.precision import parse_published
from downstream_safety.paths import rel

_RANK = re.compile(r"^rank\((?P<args>[a-z0-9_,]+)\)$")
_FIX_EXTRACT = (
    "rewrite the extract with `python3 repro.py aiid-extract SNAPSHOT` (the committed extract "
    "is written by that command, never by hand)"
)


@dataclass(frozen=True)
class Settings:
    tolerance_pp: float
    weak_note_prefix: str
    misleading_mit_code: str
    misleading_label: str
    access_date_claim: str
    min_shared_incidents: int

    @classmethod
    def of(cls, cfg: dict) -> Settings:
        return cls(
            float(cfg["tolerance_pp"]),
            str(cfg["weak_note_prefix"]),
            str(cfg["misleading_mit_code"]),
            str(cfg["misleading_label"]),
            str(cfg["access_date_claim"]),
            int(cfg["min_shared_incidents"]),
        )


# --- reading the extract ----------------------------------------------------


def load_extract_incidents(folder: Path | str) -> pd.DataFrame:
    file = Path(folder) / INCIDENTS_FILE
    df = read_csv_text(file, required=["incident_id", "date", "created_utc"])
    ids = pd.to_numeric(df["incident_id"], errors="coerce")
    created = pd.to_datetime(df["created_utc"], format="%Y-%m-%dT%H:%M:%SZ", errors="coerce")
    for col, bad in (("incident_id", ids.isna()), ("created_utc", created.isna())):
        if bad.any():
            raise InputError(
                rel(file),
                f"{col} cannot be read",
                column=col,
                rows=(df.index[bad] + 2).tolist(),
                values=df.loc[bad, col].tolist(),
                fix=_FIX_EXTRACT,
            )
    if ids.duplicated().any():
        raise InputError(
            rel(file),
            "incident_id repeated",
            column="incident_id",
            rows=(df.index[ids.duplicated(keep=False)] + 2).tolist(),
            fix=_FIX_EXTRACT,
        )
    out = pd.DataFrame({"incident_id": ids.astype(int), "created": created.dt.tz_localize(UTC)})
    return out.sort_values("incident_id").reset_index(drop=True)


def load_cset(folder: Path | str, fields: pd.DataFrame) -> pd.DataFrame:
    """Long: incident_id, annotator_file, field, value (blank answers dropped)."""
    file = Path(folder) / CSET_FILE
    keys = [field_key(f, o) for f, o in zip(fields["field"], fields["occurrence"], strict=True)]
    df = read_csv_text(file, required=["incident_id", "annotator_file", "annotator", *keys])
    long = df.melt(id_vars=["incident_id", "annotator_file"], value_vars=keys, var_name="field")
    long["incident_id"] = long["incident_id"].astype(int)
    long["value"] = long["value"].str.strip()
    return long[long["value"] != ""].reset_index(drop=True)


def check_rules_recorded(folder: Path | str, rules: Path | str) -> None:
    """Stop unless the extract's suggestions were made with this keyword rules file."""
    readme = Path(folder) / README
    if not readme.is_file():
        raise InputError(
            rel(readme),
            "missing: incidents.real_checks.extract names a folder that holds no AIID extract",
            fix="write the extract with `python3 repro.py aiid-extract SNAPSHOT`, point "
            "incidents.real_checks.extract at one, or set incidents.real_checks: null (a study "
            "without published incident claims to check)",
        )
    m = RULES_LINE.search(readme.read_text(encoding="utf-8"))
    if m is None:
        raise InputError(
            rel(readme),
            "the extract does not record the keyword rules its suggestions were made with",
            column="Keyword rules",
            fix=_FIX_EXTRACT,
        )
    actual = file_sha256(rules)
    if actual != m.group("sha"):
        raise InputError(
            rel(rules),
            f"the keyword rules differ from those {rel(Path(folder) / KEYWORD_FILE)} was made "
            f"with (sha256 {actual}; {rel(readme)} records {m.group('sha')})",
            fix="rewrite the extract with `python3 repro.py aiid-extract SNAPSHOT` from the "
            "full snapshot, or restore the keyword rules the extract records "
            "(git checkout the rules file)",
        )


def load_keyword_suggestions(folder: Path | str, taxonomy: Taxonomy) -> dict[int, frozenset[str]]:
    """incident_id -> the labels the keyword rules suggest (from the extract)."""
    file = Path(folder) / KEYWORD_FILE
    df = read_table(file, AIID_KEYWORDS)
    check_label_ids(df, "suggested_labels", taxonomy, file)
    return {
        int(i): parse(cell)
        for i, cell in zip(df["incident_id"], df["suggested_labels"], strict=True)
    }


# --- label shares through the crosswalk --------------------------------------


def variant_maps(crosswalk: pd.DataFrame, s: Settings) -> dict[str, dict[str, frozenset[str]]]:
    """MIT code -> labels under each variant."""
    base = crosswalk_map(crosswalk)
    weak = set(
        crosswalk.loc[
            crosswalk["review_note"].str.strip().str.startswith(s.weak_note_prefix), "mit_code"
        ]
    )
    without = {c: (frozenset() if c in weak else v) for c, v in base.items()}
    misleading = dict(base)
    if s.misleading_mit_code in misleading:
        misleading[s.misleading_mit_code] = misleading[s.misleading_mit_code] | {s.misleading_label}
    return {"as_is": base, "without_weak": without, "misleading_as_irresponsible": misleading}


def real_shares(
    ids: list[int], mit: pd.DataFrame, maps: dict[str, dict[str, frozenset[str]]], labels: list[str]
) -> pd.DataFrame:
    """Per variant and label: incidents, share of incidents and of labels (percent)."""
    codes = dict(zip(mit["incident_id"], mit["mit_code"], strict=True))
    rows = []
    for variant in VARIANTS:
        sets = [maps[variant].get(codes.get(i, ""), frozenset()) for i in ids]
        x = indicator(sets, labels)
        total = int(x.sum())
        for j, lab in enumerate(labels):
            n = int(x[:, j].sum())
            rows.append(
                {
                    "variant": variant,
                    "subtheme_id": lab,
                    "n_incidents": len(ids),
                    "n_classified": sum(1 for i in ids if i in codes),
                    "n_labelled": n,
                    "n_labels": total,
                    "pct_incidents": 100.0 * n / len(ids) if ids else np.nan,
                    "pct_labels": 100.0 * n / total if total else np.nan,
                    "mapped": any(lab in v for v in maps[variant].values()),
                }
            )
    return pd.DataFrame(rows)


# --- the database's size over time -------------------------------------------


def held_at(created: pd.Series, when: datetime) -> int:
    return int((created < pd.Timestamp(when)).sum())


def window_of(created: pd.Series, n: int) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """From the n-th record's creation to the (n+1)-th: when the snapshot's records number n."""
    t = created.sort_values().reset_index(drop=True)
    if n < 1 or n > len(t):
        return None
    end = t[n] if n < len(t) else pd.NaT
    return t[n - 1], end


def _stamp(t) -> str:
    return "now" if pd.isna(t) else pd.Timestamp(t).strftime("%Y-%m-%d %H:%M UTC")


def access_date(claims: pd.DataFrame, claim_id: str, file: str) -> datetime:
    row = claims[claims["claim_id"] == claim_id]
    if row.empty:
        raise InputError(
            file,
            f"no claim {claim_id} (the access date of the AI Incident Database)",
            column="claim_id",
            fix="set incidents.real_checks.access_date_claim to the registry row of the "
            "database's access date",
        )
    text = row["published"].iloc[0].strip()
    try:
        return datetime.strptime(text, "%d-%m-%Y").replace(tzinfo=UTC)
    except ValueError:
        raise InputError(
            file,
            "the access date is not dd-mm-yyyy",
            column="published",
            rows=[int(row.index[0]) + 2],
            values=[text],
            fix="write the date as the paper's references do, e.g. 01-02-2025",
        ) from None


# --- the checks --------------------------------------------------------------


def _label_of(key: str, prefix: str, labels: list[str]) -> str | None:
    if key.startswith(prefix) and key[len(prefix) :] in labels:
        return key[len(prefix) :]
    return None


def _fmt(x: float) -> str:
    return "" if x is None or pd.isna(x) else f"{x:.1f}"


def _verdict(hits: list[bool]) -> str:
    if all(hits):
        return "corroborated"
    if not any(hits):
        return "contradicted"
    return "mixed"


def _ranks(shares: pd.DataFrame, variant: str, args: list[str]) -> str:
    part = shares[shares["variant"] == variant].set_index("subtheme_id")["n_labelled"]
    return " and ".join(ORDINALS[int((part > part[a]).sum())] for a in args)


def published_total(claims: pd.DataFrame, file: str) -> int:
    """The published number of incidents (every incidents__n claim must agree)."""
    totals = sorted(set(claims.loc[claims["number_key"] == "incidents__n", "published"]))
    if len(totals) != 1 or not totals[0].isdigit():
        raise InputError(
            file,
            "the registry does not give one published total of incidents",
            column="published",
            values=totals,
            fix="give the incident total as one integer on every claim with number_key "
            "incidents__n",
        )
    return int(totals[0])


def real_checks(
    claims: pd.DataFrame,
    claims_file: str,
    incidents: pd.DataFrame,
    shares: pd.DataFrame,
    labels: list[str],
    s: Settings,
) -> pd.DataFrame:
    """One row per published incident claim the real labels can speak to."""
    keys = dict(zip(claims["claim_id"], claims["number_key"], strict=True))
    n_pub = published_total(claims, claims_file)
    pub_counts = {}
    for cid, key in keys.items():
        lab = _label_of(key, "incidents__", labels)
        unit = claims.loc[claims["claim_id"] == cid, "unit"].iloc[0]
        if lab and unit == "count":
            pub_counts[lab] = int(claims.loc[claims["claim_id"] == cid, "published"].iloc[0])
    pub_total_labels = sum(pub_counts.values()) if set(pub_counts) == set(labels) else None
    wide = shares.pivot(index="subtheme_id", columns="variant")
    when = access_date(claims, s.access_date_claim, claims_file)
    held = held_at(incidents["created"], when)
    window = window_of(incidents["created"], n_pub) if n_pub else None
    window_text = f"{_stamp(window[0])} to {_stamp(window[1])}" if window else "never"
    in_window = (
        bool(window)
        and window[0] <= pd.Timestamp(when)
        and (pd.isna(window[1]) or pd.Timestamp(when) < window[1])
    )
    rows = []

    def row(cid, compared, published, real, diff, verdict, reason, **nums):
        base = {
            "claim_id": cid,
            "subtheme_id": nums.pop("subtheme_id", ""),
            "compared": compared,
            "published": published,
            "published_value": np.nan,
            **{f"labels_{v}": np.nan for v in VARIANTS},
            **{f"incidents_{v}": np.nan for v in VARIANTS},
            "real": real,
            "difference": diff,
            "verdict": verdict,
            "reason": reason,
        }
        base.update(nums)
        rows.append(base)

    for c in claims.itertuples(index=False):
        key, cid = c.number_key, c.claim_id
        if cid == s.access_date_claim:
            row(
                cid,
                f"date at which the database held the published {n_pub} incidents",
                c.published,
                window_text,
                "",
                "corroborated" if in_window else "contradicted",
                f"record creation times (ObjectId) put {held} incidents in the database on the "
                f"cited access date; it held exactly {n_pub} from {window_text}",
            )
            continue
        if not key:
            continue
        if key == "incidents__n":
            same = held == n_pub
            row(
                cid,
                f"incidents in the database on the cited access date ({when:%Y-%m-%d})",
                c.published,
                str(held),
                f"{held - n_pub:+d}",
                "corroborated" if same else ("mixed" if window else "contradicted"),
                (
                    "the database held this many on the access date"
                    if same
                    else f"{held} records existed on the access date; exactly {n_pub} existed "
                    f"from {window_text}, so the count fits an earlier download. Records "
                    "deleted since are not in the snapshot."
                ),
                published_value=float(n_pub),
            )
            continue
        lab = _label_of(key, "incidents__", labels) or _label_of(key, "incidents_pct__", labels)
        if lab:
            rows_lab = wide.loc[lab]
            if not bool(rows_lab[("mapped", "as_is")]):
                row(
                    cid,
                    f"share of {lab} labels",
                    c.published,
                    "",
                    "",
                    "not_checkable",
                    "no MIT subdomain maps to this label in the crosswalk",
                    subtheme_id=lab,
                    published_value=(
                        100.0 * pub_counts[lab] / pub_total_labels
                        if pub_total_labels and lab in pub_counts
                        else np.nan
                    ),
                )
                continue
            lab_pct = {v: float(rows_lab[("pct_labels", v)]) for v in VARIANTS}
            inc_pct = {v: float(rows_lab[("pct_incidents", v)]) for v in VARIANTS}
            nums = {f"labels_{v}": lab_pct[v] for v in VARIANTS} | {
                f"incidents_{v}": inc_pct[v] for v in VARIANTS
            }
            parsed = parse_published(c.published)
            if parsed is not None and parsed.comparator in {">", "≥", "<", "≤"}:
                scale = 100.0 if c.unit == "fraction" else 1.0
                bound = float(parsed.value) * scale
                op = {">": operator.gt, "≥": operator.ge, "<": operator.lt, "≤": operator.le}[
                    parsed.comparator
                ]
                hits = [op(inc_pct[v], bound) for v in VARIANTS]
                row(
                    cid,
                    f"share of incidents with {lab} (%), the claim bounds incidents",
                    c.published,
                    "; ".join(_fmt(inc_pct[v]) for v in VARIANTS),
                    "",
                    _verdict(hits),
                    f"{sum(hits)} of {len(VARIANTS)} crosswalk variants satisfy "
                    f"{parsed.comparator} {bound:g}%",
                    published_value=bound,
                    subtheme_id=lab,
                    **nums,
                )
                continue
            if pub_total_labels is None or lab not in pub_counts:
                row(
                    cid,
                    f"share of {lab} labels",
                    c.published,
                    "",
                    "",
                    "not_checkable",
                    "the registry lacks a published count for every label, so no published "
                    "share of labels can be formed",
                    subtheme_id=lab,
                )
                continue
            p = 100.0 * pub_counts[lab] / pub_total_labels
            diffs = {v: lab_pct[v] - p for v in VARIANTS}
            hits = [abs(diffs[v]) <= s.tolerance_pp for v in VARIANTS]
            row(
                cid,
                f"share of all labels that are {lab} (%; published "
                f"{pub_counts[lab]}/{pub_total_labels})",
                c.published,
                "; ".join(_fmt(lab_pct[v]) for v in VARIANTS),
                "; ".join(f"{diffs[v]:+.1f}" for v in VARIANTS),
                _verdict(hits),
                f"{sum(hits)} of {len(VARIANTS)} crosswalk variants within "
                f"{s.tolerance_pp:g} percentage points of the published share of labels "
                f"({p:.1f}%); share of incidents "
                + "; ".join(_fmt(inc_pct[v]) for v in VARIANTS)
                + (f" vs {100.0 * pub_counts[lab] / n_pub:.1f}% published" if n_pub else ""),
                published_value=p,
                subtheme_id=lab,
                **nums,
            )
            continue
        m = _RANK.match(key)
        if m:
            args = m.group("args").split(",")
            labs = [_label_of(a, "incidents__", labels) for a in args]
            if not all(labs):
                continue
            unmapped = [lb for lb in labs if not bool(wide.loc[lb][("mapped", "as_is")])]
            if unmapped:
                row(
                    cid,
                    "incident-count rank",
                    c.published,
                    "",
                    "",
                    "not_checkable",
                    f"no MIT subdomain maps to {', '.join(unmapped)}",
                )
                continue
            got = {v: _ranks(shares, v, labs) for v in VARIANTS}
            hits = [got[v] == c.published.strip() for v in VARIANTS]
            row(
                cid,
                f"rank by number of labels of {' and '.join(labs)}",
                c.published,
                "; ".join(got[v] for v in VARIANTS),
                "",
                _verdict(hits),
                f"{sum(hits)} of {len(VARIANTS)} crosswalk variants give the published rank",
            )
            continue
        if key.startswith("cooccur"):
            row(
                cid,
                "co-occurrence of two labels",
                c.published,
                "",
                "",
                "not_checkable",
                "the MIT classification gives one subdomain per incident, so two labels on "
                "one incident cannot be observed",
            )
        elif key.startswith("kappa__"):
            row(
                cid,
                "the study's inter-annotator agreement",
                c.published,
                "",
                "",
                "not_checkable",
                "the study's own annotations are not public; the CSET v1 agreement reference "
                "is another taxonomy with other annotators",
            )
    out = pd.DataFrame(rows)
    return out.reset_index(drop=True)


def verdict_counts(checks: pd.DataFrame) -> dict[str, int]:
    return {v: int((checks["verdict"] == v).sum()) for v in VERDICTS}


# --- CSET v1 agreement reference ---------------------------------------------


def cset_agreement(long: pd.DataFrame, fields: pd.DataFrame, min_shared: int):
    """(per-field alpha table, pairwise kappa table)."""
    per_field, pairs = [], []
    files = sorted(long["annotator_file"].astype(int).unique())
    for f, occ, kind in zip(fields["field"], fields["occurrence"], fields["kind"], strict=True):
        key = field_key(f, occ)
        part = long[long["field"] == key]
        per_inc = part.groupby("incident_id")["annotator_file"].nunique()
        shared = sorted(per_inc[per_inc >= 2].index)
        sub = part[part["incident_id"].isin(shared)]
        if kind == "nominal":
            codes = {v: i for i, v in enumerate(sorted(sub["value"].unique()))}
            m = np.full((len(files), len(shared)), np.nan)
            col = {i: k for k, i in enumerate(shared)}
            row_of = {a: k for k, a in enumerate(files)}
            for a, i, v in sub[["annotator_file", "incident_id", "value"]].itertuples(index=False):
                m[row_of[int(a)], col[i]] = codes[v]
            alpha = alpha_nominal(m) if shared else np.nan
            measure = "nominal"
        else:
            lg = pd.DataFrame(
                {
                    "coder": sub["annotator_file"].astype(str),
                    "item": sub["incident_id"].astype(str),
                    "labels": sub["value"].map(_split),
                }
            )
            alpha = alpha_masi(lg) if shared else np.nan
            measure = "masi"
        per_field.append(
            {
                "field": key,
                "kind": kind,
                "measure": measure,
                "n_incidents": len(shared),
                "n_answers": len(sub),
                "n_values": sub["value"].nunique(),
                "alpha": alpha,
            }
        )
        for ia, a in enumerate(files):
            for b in files[ia + 1 :]:
                va = part[part["annotator_file"].astype(int) == a].set_index("incident_id")["value"]
                vb = part[part["annotator_file"].astype(int) == b].set_index("incident_id")["value"]
                both = va.index.intersection(vb.index).sort_values()
                if len(both) < min_shared:
                    continue
                x, y = va[both], vb[both]
                if kind == "multi":
                    x, y = (
                        x.map(lambda t: ";".join(sorted(_split(t)))),
                        y.map(lambda t: ";".join(sorted(_split(t)))),
                    )
                pairs.append(
                    {
                        "field": key,
                        "annotator_file_a": int(a),
                        "annotator_file_b": int(b),
                        "n_incidents": len(both),
                        "agreement": float(np.mean(x.to_numpy() == y.to_numpy())),
                        "kappa": cohen_kappa(x.to_numpy(), y.to_numpy()),
                    }
                )
    return pd.DataFrame(per_field), pd.DataFrame(
        pairs,
        columns=[
            "field",
            "annotator_file_a",
            "annotator_file_b",
            "n_incidents",
            "agreement",
            "kappa",
        ],
    )


def _split(text: str) -> frozenset[str]:
    return frozenset(p.strip() for p in text.split(",") if p.strip())


def alpha_summary(per_field: pd.DataFrame) -> dict[str, float]:
    a = per_field.loc[per_field["measure"] == "nominal", "alpha"].dropna()
    return {
        "n_fields": float(len(a)),
        "median": float(a.median()) if len(a) else np.nan,
        "min": float(a.min()) if len(a) else np.nan,
        "max": float(a.max()) if len(a) else np.nan,
    }


# --- keyword pre-annotation quality ------------------------------------------


def keyword_quality(
    suggested: dict[int, frozenset[str]],
    mit: pd.DataFrame,
    crosswalk: pd.DataFrame,
    labels: list[str],
) -> pd.DataFrame:
    """Keyword suggestions vs MIT-crosswalk labels on incidents with an MIT classification."""
    from sklearn.metrics import precision_recall_fscore_support

    cmap = crosswalk_map(crosswalk)
    ids = sorted(i for i in mit["incident_id"] if i in suggested)
    codes = dict(zip(mit["incident_id"], mit["mit_code"], strict=True))
    x = indicator([suggested[i] for i in ids], labels)
    y = indicator([cmap.get(codes[i], frozenset()) for i in ids], labels)

    def one(name, a, b):
        p, r, f, _ = precision_recall_fscore_support(b, a, average="binary", zero_division=np.nan)
        return {
            "subtheme_id": name,
            "n_incidents": len(ids),
            "n_keywords": int(a.sum()),
            "n_crosswalk": int(b.sum()),
            "n_both": int((a & b).sum()),
            "precision": float(p),
            "recall": float(r),
            "f1": float(f),
            "kappa": cohen_kappa(a, b),
        }

    rows = [one(lab, x[:, j], y[:, j]) for j, lab in enumerate(labels)]
    rows.append(one("all", x.ravel(), y.ravel()))
    return pd.DataFrame(rows)


__all__ = [
    "VARIANTS",
    "VERDICTS",
    "Settings",
    "load_extract_incidents",
    "load_cset",
    "load_keyword_suggestions",
    "check_rules_recorded",
    "load_mit",
    "variant_maps",
    "real_shares",
    "real_checks",
    "cset_agreement",
    "keyword_quality",
]
