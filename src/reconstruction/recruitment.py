"""Write the RECONSTRUCTED recruitment snapshot under data/raw/recruitment/.

The study's candidate list and contact records are unpublished. This generator
builds a pseudonymised stand-in (ids only, no names or e-mail addresses) from
the published facts: 98 PRO users and 783 users of company / non-profit
organisations with more than 50 members (868 after removing 13 duplicates),
667 contacted, 17 scheduled, 13 attended. The organisations, their sizes and
labels, the non-eligible organisations, who declined and who replied are
synthetic and drawn with a fixed seed. The contact log follows the paper's
order (PRO users first, then by descending organisation size); attended
contacts carry the participant ids P1-P13 in the order they were contacted.

    python -m reconstruction.recruitment          # rewrite the files
    python -m reconstruction.recruitment --check  # compare byte for byte
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from downstream_safety.common.tableio import to_csv_text
from downstream_safety.paths import RAW
from reconstruction.common import write_or_check

SEED = 20250324_3
OUT = RAW / "recruitment"

N_PRO = 98
N_PRO_IN_ORGS = 13  # 98 + 783 - 868
N_CONTACTED = 667
N_SCHEDULED = 17
N_ATTENDED = 13
N_DECLINED = 31  # synthetic
# Eligible organisations: (size, label, members also in another eligible org).
ELIGIBLE = [
    (160, "company", 14), (130, "non-profit", 11), (120, "company", 10),
    (100, "company", 9), (90, "company", 8), (75, "non-profit", 7),
    (70, "company", 6), (60, "company", 5), (51, "company", 3),
]  # fmt: skip
# Not eligible (too small, or community / university): (size, label, members
# who also belong to an eligible organisation).
OTHER = [
    (140, "community", 20), (95, "university", 10), (50, "company", 5),
    (35, "non-profit", 0), (20, "company", 0),
]  # fmt: skip


def build() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(SEED)
    n_org_users = sum(size - extra for size, _, extra in ELIGIBLE)  # 783
    org_users = [f"org{i}" for i in range(n_org_users)]
    members: list[tuple[str, int]] = []  # (user key, org index)
    home: dict[str, int] = {}
    pos = 0
    for k, (size, _, extra) in enumerate(ELIGIBLE):
        for u in org_users[pos : pos + size - extra]:
            members.append((u, k))
            home[u] = k
        pos += size - extra
    for k, (_, _, extra) in enumerate(ELIGIBLE):
        outsiders = [u for u in org_users if home[u] != k]
        for i in rng.choice(len(outsiders), size=extra, replace=False):
            members.append((outsiders[i], k))
    other_only = []
    for j, (size, _, overlap) in enumerate(OTHER):
        k = len(ELIGIBLE) + j
        for i in rng.choice(len(org_users), size=overlap, replace=False):
            members.append((org_users[i], k))
        for i in range(size - overlap):
            u = f"oth{j}_{i}"
            other_only.append(u)
            members.append((u, k))
    pro_in_orgs = [org_users[i] for i in rng.choice(n_org_users, N_PRO_IN_ORGS, replace=False)]
    pro_only = [f"pro{i}" for i in range(N_PRO - N_PRO_IN_ORGS)]
    pro = set(pro_in_orgs) | set(pro_only)

    keys = sorted(set(org_users) | set(pro_only) | set(other_only))
    ids = rng.permutation(len(keys))
    uid = {key: f"u{ids[i] + 1:04d}" for i, key in enumerate(keys)}
    orgs_all = ELIGIBLE + OTHER
    org_ids = rng.permutation(len(orgs_all))
    oid = {k: f"o{org_ids[k] + 1:02d}" for k in range(len(orgs_all))}

    users = pd.DataFrame(
        {
            "user_id": [uid[k] for k in keys],
            "is_pro": ["true" if k in pro else "false" for k in keys],
        }
    ).sort_values("user_id")
    organisations = pd.DataFrame(
        {
            "org_id": [oid[k] for k in range(len(orgs_all))],
            "n_members": [s for s, _, _ in orgs_all],
            "label": [lab for _, lab, _ in orgs_all],
        }
    ).sort_values("org_id")
    memberships = pd.DataFrame(
        {"user_id": [uid[u] for u, _ in members], "org_id": [oid[k] for _, k in members]}
    ).sort_values(["user_id", "org_id"])

    # Contact order: PRO users in random order, then the other eligible users
    # by descending size of their largest eligible organisation.
    size_of: dict[str, int] = {}
    for u, k in members:
        if k < len(ELIGIBLE):
            size_of[u] = max(size_of.get(u, 0), ELIGIBLE[k][0])
    pro_order = [sorted(pro)[i] for i in rng.permutation(len(pro))]
    rest = sorted(u for u in size_of if u not in pro)
    tie = rng.random(len(rest))
    rest = [u for _, _, u in sorted(zip([-size_of[u] for u in rest], tie, rest, strict=True))]
    contacted = (pro_order + rest)[:N_CONTACTED]
    outcome = np.array(["no_reply"] * N_CONTACTED, dtype=object)
    sched = np.sort(rng.choice(N_CONTACTED, N_SCHEDULED, replace=False))
    attended = np.sort(rng.choice(sched, N_ATTENDED, replace=False))
    outcome[sched] = "no_show"
    outcome[attended] = "attended"
    free = np.setdiff1d(np.arange(N_CONTACTED), sched)
    outcome[rng.choice(free, N_DECLINED, replace=False)] = "declined"
    pid = [""] * N_CONTACTED
    for j, i in enumerate(attended, start=1):
        pid[i] = f"P{j}"
    contact_log = pd.DataFrame(
        {
            "contact_order": np.arange(1, N_CONTACTED + 1),
            "user_id": [uid[u] for u in contacted],
            "outcome": outcome,
            "participant_id": pid,
        }
    )
    return {
        "hf_users.csv": users,
        "hf_organisations.csv": organisations,
        "hf_memberships.csv": memberships,
        "contact_log.csv": contact_log,
    }


def render() -> dict[Path, bytes]:
    return {OUT / name: to_csv_text(df).encode() for name, df in build().items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args(argv)
    return write_or_check(render(), check=args.check, module="reconstruction.recruitment")


if __name__ == "__main__":
    raise SystemExit(main())
