"""The Hugging Face sampling rule and the recruitment funnel.

Rule (its numbers from config ``recruitment.sampling``): all PRO users, plus
members of organisations with more than ``more_than_members`` members whose
label is one of ``labels`` (the paper: more than 50, company or non-profit);
deduplicate; contact PRO users first, then organisation users by descending
size of their (largest eligible) organisation. Ties are broken by a
permutation seeded from config.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.recruitment import schemas
from downstream_safety.recruitment.load import RecruitmentData

if TYPE_CHECKING:
    from downstream_safety.instruments.design import Design

SCHEDULED = ("scheduled", "attended", "no_show")


@dataclass(frozen=True)
class SamplingRule:
    more_than_members: int  # strictly more than this many members
    labels: tuple[str, ...]

    @classmethod
    def from_config(
        cls, sampling: Mapping, config_file: str = "config/config.yaml"
    ) -> SamplingRule:
        labels = tuple(str(x) for x in sampling["labels"])
        unknown = [x for x in labels if x not in schemas.LABELS]
        if unknown:
            raise InputError(
                config_file,
                "organisation label(s) that hf_organisations.csv never holds",
                column="recruitment.sampling.labels",
                values=unknown,
                fix=f"use labels among: {', '.join(schemas.LABELS)}",
            )
        return cls(int(sampling["more_than_members"]), labels)

    def organisations(self, sep: str) -> str:
        """'company<sep>non-profit organisations with more than 50 members'."""
        return (
            f"{sep.join(self.labels)} organisations with more than {self.more_than_members} members"
        )


def eligible_pool(data: RecruitmentData, rule: SamplingRule) -> pd.DataFrame:
    """One row per eligible user: user_id, group (pro/org), org_size, in_org."""
    orgs = data.organisations
    keep = orgs[(orgs["n_members"] > rule.more_than_members) & orgs["label"].isin(rule.labels)]
    mem = data.memberships.merge(keep[["org_id", "n_members"]], on="org_id")
    size = mem.groupby("user_id")["n_members"].max()
    pro = data.users.loc[data.users["is_pro"], "user_id"]
    ids = sorted(set(pro) | set(size.index))
    pool = pd.DataFrame({"user_id": ids})
    pool["group"] = np.where(pool["user_id"].isin(set(pro)), "pro", "org")
    pool["in_org"] = pool["user_id"].isin(set(size.index))
    pool["org_size"] = pool["user_id"].map(size).fillna(0).astype(int)
    return pool


def contact_plan(pool: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Planned contact order: PRO first, then by descending organisation size."""
    p = pool.sort_values("user_id").reset_index(drop=True)
    p["_tie"] = np.random.default_rng(seed).permutation(len(p))
    p["_group"] = (p["group"] != "pro").astype(int)
    p["_size"] = np.where(p["group"] == "pro", 0, -p["org_size"])
    p = p.sort_values(["_group", "_size", "_tie"]).reset_index(drop=True)
    p["planned_rank"] = np.arange(1, len(p) + 1)
    return p[["planned_rank", "user_id", "group", "org_size"]]


def order_violations(contacts: pd.DataFrame, pool: pd.DataFrame) -> int:
    """Contacts made after a contact of lower priority (0 when the log follows the rule)."""
    info = pool.set_index("user_id")
    log = contacts.sort_values("contact_order")
    keys = [
        (0, 0) if info.at[u, "group"] == "pro" else (1, -int(info.at[u, "org_size"]))
        for u in log["user_id"]
    ]
    worst = (-1, 0)
    n = 0
    for k in keys:
        if k < worst:
            n += 1
        worst = max(worst, k)
    return n


def funnel(
    data: RecruitmentData,
    participants: pd.DataFrame | None,
    seed: int,
    rule: SamplingRule,
    participants_file: str | None = None,
    contacts_file: str = "the contact log",
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Funnel counts, response rates, the contact plan and extra counts.

    Without ``participants`` (a study without an interview stage) the funnel
    ends at the attended contacts and nothing is cross-checked against them.
    """
    pool = eligible_pool(data, rule)
    log = data.contacts
    log_file = contacts_file
    outside = ~log["user_id"].isin(pool["user_id"])
    if outside.any():
        raise InputError(
            log_file,
            "contacted user(s) outside the eligible pool (not PRO and not a member of "
            f"{rule.organisations(' or ')})",
            column="user_id",
            rows=(log.index[outside] + 2).tolist(),
            values=log.loc[outside, "user_id"].tolist(),
            fix="check the user's PRO flag and memberships in the snapshot, or remove the row",
        )
    if participants is not None:
        _check_participants(
            log, log_file, participants, participants_file or "the participants table"
        )
    plan = contact_plan(pool, seed)
    plan["contacted"] = plan["user_id"].isin(log["user_id"])
    n = {
        "pro_users": int((pool["group"] == "pro").sum()),
        "org_users": int(pool["in_org"].sum()),
        "unique_users": len(pool),
        "contacted": len(log),
        "scheduled": int(log["outcome"].isin(SCHEDULED).sum()),
        "attended": int((log["outcome"] == "attended").sum()),
    }
    if participants is not None:
        n["network"] = int((participants["channel"] == "network").sum())
        n["participants"] = len(participants)
    fun = pd.DataFrame({"stage": list(n), "n": list(n.values())})

    def pct(a: str, b: str) -> float:
        return 100.0 * n[a] / n[b] if n[b] else 0.0

    rates = pd.DataFrame(
        [
            ("response_rate", "scheduled", "contacted", pct("scheduled", "contacted")),
            ("attendance_rate", "attended", "contacted", pct("attended", "contacted")),
            ("show_rate", "attended", "scheduled", pct("attended", "scheduled")),
        ],
        columns=["measure", "numerator", "denominator", "pct"],
    )
    extra = {
        "duplicates": int(((pool["group"] == "pro") & pool["in_org"]).sum()),
        "no_show": int((log["outcome"] == "no_show").sum()),
        "declined": int((log["outcome"] == "declined").sum()),
        "no_reply": int((log["outcome"] == "no_reply").sum()),
        "order_violations": order_violations(log, pool),
    }
    return fun, rates, plan, extra


def _check_participants(
    log: pd.DataFrame, log_file: str, participants: pd.DataFrame, participants_file: str
) -> None:
    """Attended contacts and hugging_face interview participants are the same people."""
    hf = participants[participants["channel"] == "hugging_face"]
    attended = log[log["outcome"] == "attended"]
    unknown = ~attended["participant_id"].isin(hf["participant_id"])
    if unknown.any():
        raise InputError(
            log_file,
            f"attended contact(s) whose participant is not a hugging_face participant in "
            f"{participants_file}",
            column="participant_id",
            rows=(attended.index[unknown] + 2).tolist(),
            values=attended.loc[unknown, "participant_id"].tolist(),
            fix=f"add the participant to {participants_file} with channel hugging_face",
        )
    unlogged = ~hf["participant_id"].isin(attended["participant_id"])
    if unlogged.any():
        raise InputError(
            participants_file,
            "hugging_face participant(s) without an attended contact in the contact log",
            column="participant_id",
            rows=(hf.index[unlogged] + 2).tolist(),
            values=hf.loc[unlogged, "participant_id"].tolist(),
            fix=f"record the contact in {log_file} or set the channel to network",
        )


def check_inputs(
    files: Mapping[str, str],
    participants_csv: str | None,
    seed: int,
    sampling: Mapping,
    design: Design,
) -> None:
    """Parse-time check: the snapshot, contact log and (when given) participants agree."""
    from downstream_safety.interviews.load import load_participants
    from downstream_safety.paths import rel
    from downstream_safety.recruitment.load import load_recruitment

    participants = None if participants_csv is None else load_participants(participants_csv, design)
    funnel(
        load_recruitment(files),
        participants,
        seed,
        SamplingRule.from_config(sampling),
        None if participants_csv is None else rel(Path(participants_csv)),
        rel(Path(files["contacts"])),
    )
