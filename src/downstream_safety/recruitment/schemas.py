"""Schemas of the recruitment tables (raw snapshot, contact log and the funnel)."""

from __future__ import annotations

import pandera.pandas as pa

LABELS = ["company", "non-profit", "community", "university"]
OUTCOMES = ["no_reply", "declined", "scheduled", "attended", "no_show"]
STAGES = [
    "pro_users",
    "org_users",
    "unique_users",
    "contacted",
    "scheduled",
    "attended",
    "network",
    "participants",
]
USER = r"^u[0-9]+$"
ORG = r"^o[0-9]+$"

USERS = pa.DataFrameSchema(
    {
        "user_id": pa.Column(
            str,
            pa.Check.str_matches(USER),
            unique=True,
            description="pseudonymous id u<number>, unique",
            metadata={"fix": "use pseudonymous ids u1, u2, ... (never user names)"},
        ),
        # Text, not bool: pandas would coerce any non-empty string to True.
        "is_pro": pa.Column(
            str,
            pa.Check.isin(["true", "false"]),
            description="true or false (Hugging Face PRO flag)",
        ),
    },
    strict=True,
    coerce=True,
    name="hf_users",
)

ORGANISATIONS = pa.DataFrameSchema(
    {
        "org_id": pa.Column(
            str,
            pa.Check.str_matches(ORG),
            unique=True,
            description="pseudonymous id o<number>, unique",
            metadata={"fix": "use pseudonymous ids o1, o2, ... (never organisation names)"},
        ),
        "n_members": pa.Column(int, pa.Check.ge(1), description="member count (integer >= 1)"),
        "label": pa.Column(
            str,
            pa.Check.isin(LABELS),
            description="company, non-profit, community or university",
            metadata={"fix": "use the organisation type shown on its Hugging Face page"},
        ),
    },
    strict=True,
    coerce=True,
    name="hf_organisations",
)

MEMBERSHIPS = pa.DataFrameSchema(
    {
        "user_id": pa.Column(str, pa.Check.str_matches(USER)),
        "org_id": pa.Column(str, pa.Check.str_matches(ORG)),
    },
    strict=True,
    coerce=True,
    unique=["user_id", "org_id"],
    name="hf_memberships",
    metadata={"fix": "list each user-organisation pair once"},
)

CONTACTS = pa.DataFrameSchema(
    {
        "contact_order": pa.Column(
            int, pa.Check.ge(1), unique=True, description="1, 2, ... in the order contacted"
        ),
        "user_id": pa.Column(
            str,
            pa.Check.str_matches(USER),
            unique=True,
            description="a user of hf_users.csv, contacted once",
        ),
        "outcome": pa.Column(
            str,
            pa.Check.isin(OUTCOMES),
            description="no_reply, declined, scheduled, attended or no_show",
        ),
        "participant_id": pa.Column(
            str,
            # Free-form, as in the interview participants table.
            pa.Check.str_matches(r"^(\S([^\r\n]*\S)?)?$"),
            description="the interview participant id for attended contacts, empty otherwise",
        ),
    },
    strict=True,
    coerce=True,
    name="contact_log",
)

PLAN = pa.DataFrameSchema(
    {
        "planned_rank": pa.Column(int, pa.Check.ge(1), unique=True),
        "user_id": pa.Column(str, pa.Check.str_matches(USER), unique=True),
        "group": pa.Column(str, pa.Check.isin(["pro", "org"])),
        "org_size": pa.Column(int, pa.Check.ge(0)),
        "contacted": pa.Column(bool),
    },
    strict=True,
    coerce=True,
    name="contact_plan",
)

FUNNEL = pa.DataFrameSchema(
    {
        "stage": pa.Column(str, pa.Check.isin(STAGES), unique=True),
        "n": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
    coerce=True,
    name="funnel",
)

RATES = pa.DataFrameSchema(
    {
        "measure": pa.Column(str, unique=True),
        "numerator": pa.Column(str, pa.Check.isin(STAGES)),
        "denominator": pa.Column(str, pa.Check.isin(STAGES)),
        "pct": pa.Column(float, pa.Check.in_range(0, 100)),
    },
    strict=True,
    coerce=True,
    name="response_rate",
)

TABLES = {
    "data/raw/recruitment/hf_users.csv": USERS,
    "data/raw/recruitment/hf_organisations.csv": ORGANISATIONS,
    "data/raw/recruitment/hf_memberships.csv": MEMBERSHIPS,
    "data/raw/recruitment/contact_log.csv": CONTACTS,
    "data/processed/recruitment/contact_plan.csv": PLAN,
    "data/processed/recruitment/funnel.csv": FUNNEL,
    "data/processed/recruitment/response_rate.csv": RATES,
}


def tables(design=None) -> dict[str, pa.DataFrameSchema]:
    """The recruitment tables for the data packages (none depend on the design)."""
    return dict(TABLES)
