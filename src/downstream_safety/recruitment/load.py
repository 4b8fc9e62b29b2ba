"""Load the recruitment snapshot and contact log and check their references."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError, combine
from downstream_safety.common.tableio import read_csv_text, read_table
from downstream_safety.paths import rel
from downstream_safety.recruitment import schemas

# Named input files of the recruitment stage (config keys users, organisations,
# memberships, contact_log).
FILES = ("users", "organisations", "memberships", "contacts")


@dataclass(frozen=True)
class RecruitmentData:
    users: pd.DataFrame
    organisations: pd.DataFrame
    memberships: pd.DataFrame
    contacts: pd.DataFrame


def _not_in(values: pd.Series, allowed, file: Path, column: str, target: str) -> list[InputError]:
    bad = ~values.isin(list(allowed))
    if not bad.any():
        return []
    return [
        InputError(
            rel(file),
            f"id(s) not listed in {target}",
            column=column,
            rows=(values.index[bad] + 2).tolist(),
            values=sorted(set(values[bad])),
            fix=f"add them to {target} or correct the id",
        )
    ]


def load_organisations(path: Path) -> pd.DataFrame:
    # An unlabelled organisation is the likeliest gap in a hand-made snapshot;
    # name it before the generic schema check does.
    raw = read_csv_text(path, required=["org_id", "label"])
    empty = raw["label"].str.strip() == ""
    if empty.any():
        raise InputError(
            rel(path),
            "organisation(s) without a label",
            column="label",
            rows=(raw.index[empty] + 2).tolist(),
            values=raw.loc[empty, "org_id"].tolist(),
            fix="label each organisation company, non-profit, community or university, "
            "as shown on its Hugging Face page",
        )
    return read_table(path, schemas.ORGANISATIONS)


def load_recruitment(files: Mapping[str, Path | str]) -> RecruitmentData:
    """Read and cross-check the snapshot and contact log named in ``files`` (keys: FILES)."""
    users_p, orgs_p, mem_p, log_p = (Path(files[k]) for k in FILES)
    users = read_table(users_p, schemas.USERS)
    users["is_pro"] = users["is_pro"] == "true"
    orgs = load_organisations(orgs_p)
    mem = read_table(mem_p, schemas.MEMBERSHIPS)
    log = read_table(log_p, schemas.CONTACTS)
    errors = _not_in(mem["user_id"], users["user_id"], mem_p, "user_id", rel(users_p))
    errors += _not_in(mem["org_id"], orgs["org_id"], mem_p, "org_id", rel(orgs_p))
    errors += _not_in(log["user_id"], users["user_id"], log_p, "user_id", rel(users_p))
    n_listed = mem.groupby("org_id").size()
    over = orgs["org_id"].map(n_listed).fillna(0) > orgs["n_members"]
    if over.any():
        errors.append(
            InputError(
                rel(orgs_p),
                f"more members listed in {rel(mem_p)} than n_members",
                column="n_members",
                rows=(orgs.index[over] + 2).tolist(),
                values=orgs.loc[over, "org_id"].tolist(),
                fix="update n_members from the snapshot or remove the extra memberships",
            )
        )
    attended = log["outcome"] == "attended"
    bad_pid = attended != (log["participant_id"] != "")
    if bad_pid.any():
        errors.append(
            InputError(
                rel(log_p),
                "participant_id must be filled exactly for attended contacts",
                column="participant_id",
                rows=(log.index[bad_pid] + 2).tolist(),
                fix="give each attended contact its participant id (as in the interview "
                "participants table) and leave the others empty",
            )
        )
    if errors:
        raise combine(errors)
    return RecruitmentData(
        users.sort_values("user_id").reset_index(drop=True),
        orgs,
        mem,
        log.sort_values("contact_order").reset_index(drop=True),
    )
