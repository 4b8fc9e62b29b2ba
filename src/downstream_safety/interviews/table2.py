"""Table 2 (participant demographics) and the counts derived from it."""

from __future__ import annotations

import pandas as pd

from downstream_safety.interviews.schemas import AI_SOFTWARE, DEGREES, ORG_SIZES

DISPLAY = {
    "participant_id": "ID",
    "dl_experience_years": "DL Exp.",
    "se_experience_years": "SE Exp.",
    "n_ai_software": "# AI software",
    "degree": "Degree",
    "org_size": "Org. Size",
    "domain": "Domain",
}


def build_table2(participants: pd.DataFrame) -> pd.DataFrame:
    """Rows in participant-number order, as the paper prints them."""
    p = participants.copy()
    p["_n"] = p["participant_id"].str[1:].astype(int)
    p = p.sort_values("_n")
    return p[list(DISPLAY)].reset_index(drop=True)


def display_table2(table2: pd.DataFrame) -> pd.DataFrame:
    return table2.rename(columns=DISPLAY)


def domains(domain: str) -> list[str]:
    return [d.strip() for d in domain.split(",") if d.strip()]


def demographics(participants: pd.DataFrame) -> pd.DataFrame:
    """Counts and shares per level; fixed level order so empty levels show as 0."""
    n = len(participants)
    rows = []

    def add(variable: str, counts: dict[str, int]) -> None:
        for level, k in counts.items():
            rows.append(
                {
                    "variable": variable,
                    "level": level,
                    "n": int(k),
                    "pct": 100.0 * k / n if n else 0.0,
                }
            )

    def tally(col: str, levels: list[str]) -> dict[str, int]:
        vc = participants[col].value_counts()
        extra = sorted(set(vc.index) - set(levels))
        return {lv: int(vc.get(lv, 0)) for lv in [*levels, *extra]}

    add("degree", tally("degree", DEGREES))
    add("org_size", tally("org_size", ORG_SIZES))
    add("n_ai_software", tally("n_ai_software", AI_SOFTWARE))
    add("channel", tally("channel", ["hugging_face", "network"]))
    combos = participants["domain"].map(lambda d: ", ".join(sorted(domains(d))))
    vc = combos.value_counts()
    add("domain", {lv: int(vc[lv]) for lv in sorted(vc.index)})
    every = sorted({d for v in participants["domain"] for d in domains(v)})
    add("domain_any", {d: int(sum(d in domains(v) for v in participants["domain"])) for d in every})
    return pd.DataFrame(rows, columns=["variable", "level", "n", "pct"])


def display_demographics(demo: pd.DataFrame) -> pd.DataFrame:
    names = {
        "degree": "Degree",
        "org_size": "Organisation size",
        "n_ai_software": "# AI software",
        "channel": "Recruitment channel",
        "domain": "Domain (combination)",
        "domain_any": "Domain (involved)",
    }
    return pd.DataFrame(
        {
            "Variable": demo["variable"].map(names).fillna(demo["variable"]),
            "Level": demo["level"].str.replace("_", " "),
            "n": demo["n"],
            "%": demo["pct"].map(lambda x: f"{x:.1f}"),
        }
    )
