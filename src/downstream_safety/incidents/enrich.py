"""What a configured AIID snapshot adds: titles and dates, incidents per year,
the MIT crosswalk with its agreement against the annotations, and the
pre-annotation worksheet for incidents not yet annotated."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from downstream_safety.incidents.agreement import alpha_masi, cohen_kappa, raw_agreement
from downstream_safety.incidents.labels import indicator, parse, render


def crosswalk_map(crosswalk: pd.DataFrame) -> dict[str, frozenset[str]]:
    return {
        c: parse(s) for c, s in zip(crosswalk["mit_code"], crosswalk["subtheme_ids"], strict=True)
    }


def enrich(adjudicated: pd.DataFrame, incidents: pd.DataFrame, mit: pd.DataFrame) -> pd.DataFrame:
    """Adjudicated labels with the snapshot's date, year, title and MIT code."""
    out = adjudicated.merge(
        incidents[["incident_id", "date", "year", "title"]], on="incident_id", how="left"
    )
    out = out.merge(mit[["incident_id", "mit_code"]], on="incident_id", how="left")
    out["mit_code"] = out["mit_code"].fillna("")
    cols = ["incident_id", "date", "year", "title", "labels", "mit_code"]
    return out[cols].sort_values("incident_id").reset_index(drop=True)


def per_year(enriched: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Incidents per year of occurrence and subtheme (every year x subtheme cell)."""
    ind = pd.DataFrame(indicator(enriched["labels"].map(parse), labels), columns=labels)
    ind["year"] = enriched["year"].to_numpy()
    wide = ind.groupby("year")[labels].sum()
    long = wide.reset_index().melt(id_vars="year", var_name="subtheme_id", value_name="n_incidents")
    long["order"] = long["subtheme_id"].map({s: i for i, s in enumerate(labels)})
    return long.sort_values(["year", "order"]).drop(columns="order").reset_index(drop=True)


def crosswalk_agreement(
    enriched: pd.DataFrame, crosswalk: pd.DataFrame, labels: list[str]
) -> pd.DataFrame:
    """Crosswalk labels vs adjudicated labels on the incidents with an MIT code.

    An MIT code missing from the crosswalk counts as 'no suggestion'.
    """
    cmap = crosswalk_map(crosswalk)
    sub = enriched[enriched["mit_code"] != ""]
    suggested = [cmap.get(c, frozenset()) for c in sub["mit_code"]]
    annotated = sub["labels"].map(parse).tolist()
    x, y = indicator(suggested, labels), indicator(annotated, labels)
    rows = []
    for j, lab in enumerate(labels):
        rows.append(
            {
                "subtheme_id": lab,
                "n_incidents": len(sub),
                "n_crosswalk": int(x[:, j].sum()),
                "n_annotated": int(y[:, j].sum()),
                "kappa": cohen_kappa(x[:, j], y[:, j]),
                "agreement": raw_agreement(x[:, j], y[:, j]),
                "alpha_masi": np.nan,
            }
        )
    long = pd.concat(
        [
            pd.DataFrame(
                {"coder": "crosswalk", "item": sub["incident_id"].to_numpy(), "labels": suggested}
            ),
            pd.DataFrame(
                {"coder": "annotation", "item": sub["incident_id"].to_numpy(), "labels": annotated}
            ),
        ]
    )
    rows.append(
        {
            "subtheme_id": "all",
            "n_incidents": len(sub),
            "n_crosswalk": int(x.sum()),
            "n_annotated": int(y.sum()),
            "kappa": cohen_kappa(x.ravel(), y.ravel()),
            "agreement": raw_agreement(x.ravel(), y.ravel()),
            "alpha_masi": alpha_masi(long) if len(sub) else np.nan,
        }
    )
    return pd.DataFrame(rows)


def keyword_suggestions(text: str, rules: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Subthemes whose pattern matches, and the matched words as evidence."""
    found, evidence = [], []
    for sub, pattern in zip(rules["subtheme_id"], rules["pattern"], strict=True):
        m = re.search(pattern, text, flags=re.IGNORECASE)
        if m:
            found.append(sub)
            evidence.append(f"{sub}:{m.group(0).lower()}")
    return found, evidence


def worksheet(
    incidents: pd.DataFrame,
    annotated_ids: set[int],
    mit: pd.DataFrame,
    crosswalk: pd.DataFrame,
    rules: pd.DataFrame,
    labels: list[str],
) -> pd.DataFrame:
    """One row per snapshot incident not yet annotated, with suggested labels.

    The MIT classification (through the crosswalk) is preferred because it is a
    human judgement; keyword rules over title and description are the fallback.
    """
    cmap = crosswalk_map(crosswalk)
    codes = dict(zip(mit["incident_id"], mit["mit_code"], strict=True))
    todo = incidents[~incidents["incident_id"].isin(annotated_ids)].sort_values("incident_id")
    rows = []
    for inc, date, title, desc in todo[["incident_id", "date", "title", "description"]].itertuples(
        index=False
    ):
        code = codes.get(inc, "")
        if code and cmap.get(code):
            sugg, source, evidence = cmap[code], "mit_crosswalk", f"MIT {code}"
        else:
            found, ev = keyword_suggestions(f"{title} {desc}", rules)
            sugg, source, evidence = found, ("keywords" if found else "none"), "; ".join(ev)
        rows.append(
            {
                "incident_id": inc,
                "date": date,
                "title": title,
                "suggested_labels": render(sugg, labels),
                "source": source,
                "evidence": evidence,
                "labels": "",
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "incident_id",
            "date",
            "title",
            "suggested_labels",
            "source",
            "evidence",
            "labels",
        ],
    )
