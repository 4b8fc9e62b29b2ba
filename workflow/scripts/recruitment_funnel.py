"""Apply the sampling rule to the snapshot and count the recruitment funnel."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.numbers import NUMBERS
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews.load import load_participants
from downstream_safety.interviews.outputs import write_tables
from downstream_safety.paths import rel
from downstream_safety.recruitment import schemas
from downstream_safety.recruitment.load import FILES, load_recruitment
from downstream_safety.recruitment.numbers import recruitment_numbers
from downstream_safety.recruitment.sampling import SamplingRule, funnel

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    data = load_recruitment({k: smk.input[k] for k in FILES})
    rule = SamplingRule.from_config(smk.params.sampling)
    # The interview participants are an input only when the interview stage is on.
    has_participants = "participants" in smk.input.keys()
    participants = (
        load_participants(smk.input.participants, from_job(smk)) if has_participants else None
    )
    fun, rates, plan, extra = funnel(
        data,
        participants,
        int(smk.params.seed),
        rule,
        rel(smk.input.participants) if has_participants else None,
        rel(smk.input.contacts),
    )
    nums = recruitment_numbers(fun, rates, extra, rule)
    log.info("funnel: %s", dict(zip(fun["stage"], fun["n"], strict=True)))
    if extra["order_violations"]:
        log.warning("%d contacts do not follow the rule's order", extra["order_violations"])
    write_tables(
        [
            (plan, smk.output.plan, schemas.PLAN),
            (fun, smk.output.funnel, schemas.FUNNEL),
            (rates, smk.output.rates, schemas.RATES),
            (nums, smk.output.numbers, NUMBERS),
        ]
    )
