"""Small hand-made stage outputs for the paper-stage tests.

The values are chosen by hand so that the expected audit verdicts are known
without running the package: e.g. 17 of 667 contacted gives 2.5487% ("2.55",
reproduced); 82 of 86 gives 95.35% ("95"; the published "96" follows only if one
answer outside the top two were missing, 82/85 = 96.47%);
440 of 874 incidents gives 50.34% ("50.3").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.incidents.helpers import paper_design

PARTICIPANTS = {
    "finetune_data": 7,
    "pretrain_data": 5,
    "data_management": 4,
    "data_leakage": 8,
    "harmful_output": 13,
    "reliability": 8,
    "malicious_use": 5,
    "irresponsible_use": 6,
}
INCIDENTS = {
    "finetune_data": 66,
    "pretrain_data": 4,
    "data_management": 27,
    "data_leakage": 18,
    "harmful_output": 283,
    "reliability": 440,
    "malicious_use": 242,
    "irresponsible_use": 270,
}
# item -> (sum of answers, n valid): mean = sum / n.
ITEM_SUMS = {
    "imp_pretrain_data": (389, 86),  # 4.5233 -> "4.52"
    "imp_irresponsible_use": (362, 86),  # 4.2093 -> "4.21"
    "freq_documentation__data": (240, 86),  # 2.7907 -> "2.79"
    "freq_documentation__behaviour": (261, 86),  # 3.0349 -> "3.03" (3.04 needs n = 85)
    "freq_documentation__misuse": (254, 86),  # 2.9535 -> "2.95"
}


def numbers_files() -> dict[str, list[tuple[str, float, str]]]:
    rec = [
        ("funnel__pro_users", 98, "PRO users"),
        ("funnel__org_users", 783, "organisation users"),
        ("funnel__unique_users", 868, "unique users"),
        ("funnel__contacted", 667, "contacted"),
        ("funnel__scheduled", 17, "scheduled"),
        ("funnel__attended", 13, "attended"),
        ("funnel__network", 5, "network"),
        ("funnel__participants", 18, "participants"),
        ("response_rate_pct", 100 * 17 / 667, "scheduled / contacted"),
    ]
    itv = [
        ("n_participants", 18, "participants"),
        ("codes__rq1", 29, "codes RQ1"),
        ("codes__rq2", 100, "codes RQ2"),
        ("codes__rq3", 55, "codes RQ3"),
        ("codes__total", 184, "codes"),
        ("saturation_guest2006__rq1", 13, "saturation RQ1"),
        ("saturation_guest2006__rq2", 12, "saturation RQ2"),
        ("saturation_guest2006__rq3", 13, "saturation RQ3"),
    ] + [(f"participants__{k}", v, f"participants {k}") for k, v in PARTICIPANTS.items()]
    sur = [
        ("screen__recruited", 128, "recruited"),
        ("screen__excluded_experience", 27, "excluded on experience"),
        ("screen__excluded_description", 15, "excluded on description"),
        ("screen__valid", 86, "valid"),
        ("pct_top2__imp_pretrain_data", 100 * 82 / 86, "top-2 pre-trained data"),
        ("p__documentation__behaviour__data", 0.0171, "p documentation C2 vs C1"),
        ("d__documentation__behaviour__data", 0.3012, "d documentation C2 vs C1"),
        ("p__iterative_refinement__behaviour__data", 0.0168, "p"),
        ("d__iterative_refinement__behaviour__data", 0.32, "d"),
        ("p__test_evaluate__behaviour__data", 0.0071, "p"),
        ("d__test_evaluate__behaviour__data", 0.40, "d"),
        ("pct_top2__imp_finetune_data", 100 * 83 / 86, "top-2 fine-tuning data"),
        ("n_valid__imp_pretrain_data", 86, "valid answers"),
    ]
    for item, (s, n) in ITEM_SUMS.items():
        sur.append((f"mean__{item}", s / n, f"mean {item}"))
        sur.append((f"n_valid__{item}", n, f"valid answers {item}"))
    sur = list({k: (k, v, d) for k, v, d in sur}.values())
    inc = [
        ("incidents__n", 874, "incidents"),
        ("kappa__calibration", 0.7093, "kappa"),
        ("cooccur__reliability__irresponsible_use", 132, "both"),
        ("cooccur_pct__reliability__irresponsible_use", 100 * 132 / 874, "both, %"),
    ]
    for k, v in INCIDENTS.items():
        inc.append((f"incidents__{k}", v, f"incidents {k}"))
        inc.append((f"incidents_pct__{k}", 100 * v / 874, f"incidents {k}, %"))
    return {"recruitment": rec, "interviews": itv, "survey": sur, "incidents": inc}


def item_summary() -> pd.DataFrame:
    items = paper_design().items
    rows = []
    for i, item in enumerate(items["item_id"]):
        s, n = ITEM_SUMS.get(item, (3 * 86 + i, 86))
        rows.append(
            {
                "wave": "all",
                "item_id": item,
                "n_valid": n,
                "n_missing": 86 - n,
                "mean": s / n,
                "pct_top2": 50.0,
                "pct_lowest": 10.0,
            }
        )
    return pd.DataFrame(rows)


# Answer counts per level of the item behind C105: 5 x 1, 19 x 2, 30 x 3, 32 x 4 gives
# the sum 261 of 86 above; without one answer 3 it is 258/85 = 3.0353 ("3.04").
LEVELS = {"freq_documentation__behaviour": [5, 19, 30, 32]}


def item_levels() -> pd.DataFrame:
    rows = [
        {
            "wave": "all",
            "item_id": item,
            "level": level,
            "label": f"level {level}",
            "count": count,
            "percent": 100 * count / sum(counts),
        }
        for item, counts in LEVELS.items()
        for level, count in enumerate(counts, start=1)
    ]
    return pd.DataFrame(rows)


def practice_tests() -> pd.DataFrame:
    # z chosen by hand: erfc(2.3849 / sqrt(2)) = 0.0171 -> "0.017".
    return pd.DataFrame(
        {
            "wave": ["all", "all"],
            "practice": ["documentation", "test_evaluate"],
            "concern_a": ["behaviour", "behaviour"],
            "concern_b": ["data", "data"],
            "n_pairs": [63, 49],
            "mean_a": [3.04, 3.22],
            "mean_b": [2.79, 2.95],
            "p_value": [0.01708, 0.0071],
            "effect_size_d": [0.25, 0.3],
            "effect_size_r": [2.3849 / 63**0.5, 0.40],
            "n_nonzero": [60, 45],
            "z": [2.3849, 2.6896],
            # The columns the survey stage writes too; the audit does not read them.
            "rank_biserial": [0.35, 0.44],
            "p_adjusted": [0.03416, 0.0142],
            "significant": [True, True],
            "significant_adjusted": [True, True],
        }
    )


def write_stage_outputs(root: Path) -> None:
    """Write the processed files the paper stage reads, under ``root``."""
    proc = root / "data" / "processed"
    for stage, rows in numbers_files().items():
        (proc / stage).mkdir(parents=True, exist_ok=True)
        df = pd.DataFrame(rows, columns=["key", "value", "description"]).sort_values("key")
        df.to_csv(proc / stage / "numbers.csv", index=False, lineterminator="\n")
    subs = paper_design().subthemes
    pd.DataFrame(
        {
            "rq": subs["rq"],
            "theme_id": subs["theme_id"],
            "subtheme_id": subs["subtheme_id"],
            "n_participants": [PARTICIPANTS.get(s, 2) for s in subs["subtheme_id"]],
        }
    ).to_csv(proc / "interviews" / "subtheme_participants.csv", index=False, lineterminator="\n")
    item_summary().to_csv(proc / "survey" / "item_summary.csv", index=False, lineterminator="\n")
    item_levels().to_csv(proc / "survey" / "item_levels.csv", index=False, lineterminator="\n")
    practice_tests().to_csv(
        proc / "survey" / "practice_tests.csv", index=False, lineterminator="\n"
    )
    pd.DataFrame(
        {
            "subtheme_id": list(INCIDENTS),
            "n_incidents": list(INCIDENTS.values()),
            "pct": [100 * v / 874 for v in INCIDENTS.values()],
        }
    ).to_csv(proc / "incidents" / "subtheme_counts.csv", index=False, lineterminator="\n")
