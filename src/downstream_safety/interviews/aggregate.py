"""Participant and code counts per subtheme, theme and RQ (Table 3's first column)."""

from __future__ import annotations

import pandas as pd

from downstream_safety.instruments.design import Design


def subtheme_participants(segments: pd.DataFrame, codebook: Design) -> pd.DataFrame:
    """Distinct participants per subtheme; codebook subthemes nobody mentions get 0."""
    n = segments.groupby("subtheme_id")["participant_id"].nunique()
    s = codebook.subthemes
    return pd.DataFrame(
        {
            "rq": s["rq"],
            "theme_id": s["theme_id"],
            "subtheme_id": s["subtheme_id"],
            "n_participants": s["subtheme_id"].map(n).fillna(0).astype(int),
        }
    ).reset_index(drop=True)


def codes_per_rq(codes: pd.DataFrame, rqs: list[str]) -> pd.DataFrame:
    """Codes applied to at least one key point, per RQ of the design in its order
    (an unused code is not counted; an RQ without codes gets 0)."""
    used = codes[codes["n_segments"] > 0]
    n = used.groupby("rq")["code_id"].nunique()
    return pd.DataFrame({"rq": rqs, "n_codes": [int(n.get(r, 0)) for r in rqs]})


def theme_participants(
    segments: pd.DataFrame, codes: pd.DataFrame, codebook: Design
) -> pd.DataFrame:
    t = codebook.themes
    part = segments.groupby("theme_id")["participant_id"].nunique()
    used = codes[codes["n_segments"] > 0].groupby("theme_id")["code_id"].nunique()
    nsub = codebook.subthemes.groupby("theme_id")["subtheme_id"].nunique()
    return pd.DataFrame(
        {
            "rq": t["rq"],
            "theme_id": t["theme_id"],
            "n_subthemes": t["theme_id"].map(nsub).fillna(0).astype(int),
            "n_codes": t["theme_id"].map(used).fillna(0).astype(int),
            "n_participants": t["theme_id"].map(part).fillna(0).astype(int),
        }
    ).reset_index(drop=True)


def participant_subtheme_matrix(
    segments: pd.DataFrame, participants: pd.DataFrame, codebook: Design
) -> pd.DataFrame:
    """Participants in interview order × subthemes in codebook order, 1 = mentioned."""
    pids = participants.sort_values("interview_order")["participant_id"].tolist()
    sids = codebook.subthemes["subtheme_id"].tolist()
    pairs = segments[["participant_id", "subtheme_id"]].drop_duplicates()
    m = pd.crosstab(pairs["participant_id"], pairs["subtheme_id"])
    m = m.reindex(index=pids, columns=sids, fill_value=0).clip(upper=1).astype(int)
    m.index.name = "participant_id"
    m.columns.name = None
    return m.reset_index()
