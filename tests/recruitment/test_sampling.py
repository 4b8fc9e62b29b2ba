"""The sampling rule and funnel on a hand-made snapshot with answers worked out by hand."""

import shutil

import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.paths import RAW
from downstream_safety.recruitment import load
from downstream_safety.recruitment.numbers import recruitment_numbers
from downstream_safety.recruitment.sampling import SamplingRule, eligible_pool, funnel

# The paper's rule: more than 50 members, company or non-profit.
PAPER_RULE = SamplingRule(50, ("company", "non-profit"))
NAMES = ["hf_users.csv", "hf_organisations.csv", "hf_memberships.csv", "contact_log.csv"]


def load_recruitment(folder):
    return load.load_recruitment({k: folder / n for k, n in zip(load.FILES, NAMES, strict=True)})


USERS = """user_id,is_pro
u1,true
u2,false
u3,false
u4,false
u5,true
u6,false
u7,false
u8,false
"""
# o1: company, 80 members -> eligible; o2: non-profit, 51 -> eligible;
# o3: company, exactly 50 -> not eligible; o4: university, 200 -> not eligible
ORGS = """org_id,n_members,label
o1,80,company
o2,51,non-profit
o3,50,company
o4,200,university
"""
# u1 (PRO) also in o1 -> duplicate; u2 in o1 and o2 -> counted once, size 80;
# u3 in o2 (51); u4 only in o3 -> out; u6 only in o4 -> out; u7 in o2 and o4 -> in (51);
# u8 in no organisation and not PRO -> out; u5 PRO only.
MEMBERS = """user_id,org_id
u1,o1
u2,o1
u2,o2
u3,o2
u4,o3
u6,o4
u7,o2
u7,o4
"""
PARTICIPANTS = pd.DataFrame(
    {"participant_id": ["P1", "P2"], "channel": ["hugging_face", "network"]}
)


def write(folder, log: str, orgs: str = ORGS):
    folder.mkdir(exist_ok=True)
    (folder / "hf_users.csv").write_text(USERS)
    (folder / "hf_organisations.csv").write_text(orgs)
    (folder / "hf_memberships.csv").write_text(MEMBERS)
    (folder / "contact_log.csv").write_text(log)
    return folder


LOG = """contact_order,user_id,outcome,participant_id
1,u5,no_reply,
2,u1,attended,P1
3,u2,no_show,
4,u3,declined,
"""


def test_eligible_pool(tmp_path):
    pool = eligible_pool(load_recruitment(write(tmp_path / "r", LOG)), PAPER_RULE)
    assert pool["user_id"].tolist() == ["u1", "u2", "u3", "u5", "u7"]
    assert pool["group"].tolist() == ["pro", "org", "org", "pro", "org"]
    assert pool["org_size"].tolist() == [80, 80, 51, 0, 51]


def test_funnel_and_plan(tmp_path):
    data = load_recruitment(write(tmp_path / "r", LOG))
    fun, rates, plan, extra = funnel(data, PARTICIPANTS, 1, PAPER_RULE)
    assert dict(zip(fun["stage"], fun["n"], strict=True)) == {
        "pro_users": 2,
        "org_users": 4,  # u1, u2, u3, u7
        "unique_users": 5,
        "contacted": 4,
        "scheduled": 2,  # attended + no_show
        "attended": 1,
        "network": 1,
        "participants": 2,
    }
    assert rates.set_index("measure").at["response_rate", "pct"] == pytest.approx(50.0)
    assert extra["duplicates"] == 1 and extra["order_violations"] == 0
    # PRO users first (any order), then u2 (80) before u3 and u7 (51, tie)
    assert set(plan["user_id"][:2]) == {"u1", "u5"}
    assert plan["user_id"][2] == "u2"
    assert set(plan["user_id"][3:]) == {"u3", "u7"}
    assert plan["contacted"].tolist().count(True) == 4


def test_order_violation_counted(tmp_path):
    log = LOG.replace("1,u5,no_reply,", "1,u3,no_reply,").replace(
        "4,u3,declined,", "4,u5,declined,"
    )
    data = load_recruitment(write(tmp_path / "r", log))
    # u3 (org, 51) first, then u1 (PRO) and u2 (80) and u5 (PRO) come after a lower priority
    assert funnel(data, PARTICIPANTS, 1, PAPER_RULE)[3]["order_violations"] == 3


@pytest.mark.bad_input
def test_unlabelled_organisation(tmp_path):
    folder = write(tmp_path / "r", LOG, orgs=ORGS.replace("o3,50,company", "o3,50,"))
    with pytest.raises(InputError) as err:
        load_recruitment(folder)
    msg = str(err.value)
    assert "hf_organisations.csv" in msg and "without a label" in msg and "rows:    4 " in msg


@pytest.mark.bad_input
def test_contact_outside_pool(tmp_path):
    data = load_recruitment(write(tmp_path / "r", LOG + "5,u4,no_reply,\n"))
    with pytest.raises(InputError) as err:
        funnel(data, PARTICIPANTS, 1, PAPER_RULE)
    assert "outside the eligible pool" in str(err.value) and "rows:    6 " in str(err.value)


@pytest.mark.bad_input
def test_attended_without_participant(tmp_path):
    with pytest.raises(InputError, match="exactly for attended"):
        load_recruitment(write(tmp_path / "r", LOG.replace("attended,P1", "attended,")))


@pytest.mark.bad_input
def test_attended_participant_not_listed(tmp_path):
    data = load_recruitment(write(tmp_path / "r", LOG.replace("attended,P1", "attended,P9")))
    with pytest.raises(InputError, match="not a hugging_face participant"):
        funnel(data, PARTICIPANTS, 1, PAPER_RULE)


@pytest.mark.bad_input
def test_membership_of_unknown_user(tmp_path):
    folder = write(tmp_path / "r", LOG)
    (folder / "hf_memberships.csv").write_text(MEMBERS + "u99,o1\n")
    with pytest.raises(InputError, match="hf_users.csv"):
        load_recruitment(folder)


def test_shipped_snapshot_gives_published_funnel(tmp_path):
    from downstream_safety.interviews.load import load_participants

    folder = tmp_path / "copy"
    shutil.copytree(RAW / "recruitment", folder)
    from downstream_safety.instruments.design import design_tables, load_design

    design = load_design(design_tables(RAW / "instruments"))
    participants = load_participants(RAW / "interviews" / "participants.csv", design)
    fun, rates, _, extra = funnel(load_recruitment(folder), participants, 20250324, PAPER_RULE)
    assert fun["n"].tolist() == [98, 783, 868, 667, 17, 13, 5, 18]
    assert round(rates.set_index("measure").at["response_rate", "pct"], 2) == 2.55
    assert extra["duplicates"] == 13 and extra["order_violations"] == 0


def test_sampling_rule_from_config_values(tmp_path):
    # more than 60 members, company or university: o1 (company, 80) and o4
    # (university, 200) are in; o2 (non-profit, 51) and o3 (company, 50) are out.
    rule = SamplingRule.from_config({"more_than_members": 60, "labels": ["company", "university"]})
    pool = eligible_pool(load_recruitment(write(tmp_path / "r", LOG)), rule)
    # o1: u1 (PRO anyway), u2; o4: u6, u7. u3 (only o2) drops out; u5 is PRO.
    assert pool["user_id"].tolist() == ["u1", "u2", "u5", "u6", "u7"]
    assert pool["group"].tolist() == ["pro", "org", "pro", "org", "org"]
    assert pool["org_size"].tolist() == [80, 80, 0, 200, 200]
    # a threshold of 49 lets the 50-member company o3 in (u4), and 51 shuts o2 out
    low = SamplingRule.from_config({"more_than_members": 49, "labels": ["company"]})
    assert eligible_pool(load_recruitment(tmp_path / "r"), low)["user_id"].tolist() == [
        "u1", "u2", "u4", "u5",
    ]  # fmt: skip


def test_numbers_describe_the_configured_rule(tmp_path):
    rule = SamplingRule(60, ("company", "university"))
    log = LOG.replace("4,u3,declined,", "4,u6,declined,")
    fun, rates, _, extra = funnel(load_recruitment(write(tmp_path / "r", log)), None, 1, rule)
    nums = recruitment_numbers(fun, rates, extra, rule).set_index("key")
    assert nums.at["funnel__org_users", "description"] == (
        "users of company/university organisations with more than 60 members"
    )
    # without interview participants the funnel stops at the attended contacts
    assert fun["stage"].tolist()[-1] == "attended"
    assert "funnel__participants" not in nums.index


@pytest.mark.bad_input
def test_sampling_label_unknown_to_the_snapshot():
    with pytest.raises(InputError) as err:
        SamplingRule.from_config({"more_than_members": 50, "labels": ["company", "startup"]})
    msg = str(err.value)
    assert "recruitment.sampling.labels" in msg and "'startup'" in msg and "fix:" in msg


@pytest.mark.bad_input
def test_contact_outside_a_configured_pool_names_the_rule(tmp_path):
    rule = SamplingRule(60, ("company", "university"))
    data = load_recruitment(write(tmp_path / "r", LOG))  # u3 is only in o2 (non-profit)
    with pytest.raises(InputError) as err:
        funnel(data, PARTICIPANTS, 1, rule)
    msg = str(err.value)
    assert "company or university organisations with more than 60 members" in msg
    assert "rows:    5 " in msg
