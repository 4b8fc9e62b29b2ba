# Recruitment: the sampling rule of the config applied to the (reconstructed)
# candidate snapshot, the contact funnel and its figure. Switched off by
# "recruitment: null" in the config. The interview participants are
# cross-checked only when the interview stage is on.
from downstream_safety.recruitment.sampling import (  # noqa: E402
    check_inputs as _check_recruitment,
)

if stage_on("recruitment"):
    RECRUITMENT_CFG = config["recruitment"]
    RECRUITMENT_FILES = {
        "users": RECRUITMENT_CFG["users"],
        "organisations": RECRUITMENT_CFG["organisations"],
        "memberships": RECRUITMENT_CFG["memberships"],
        "contacts": RECRUITMENT_CFG["contact_log"],
    }
    RECRUITMENT_PARTICIPANTS = (
        {"participants": config["interviews"]["participants"]}
        if stage_on("interviews")
        else {}
    )

    parse_time_check(
        _check_recruitment,
        RECRUITMENT_FILES,
        RECRUITMENT_PARTICIPANTS.get("participants"),
        config["seed"],
        RECRUITMENT_CFG["sampling"],
        DESIGN,
    )

    rule recruitment_funnel:
        input:
            **RECRUITMENT_FILES,
            **RECRUITMENT_PARTICIPANTS,
            design=DESIGN_VIEWS["participants"],
        output:
            plan="data/processed/recruitment/contact_plan.csv",
            funnel=report(
                "data/processed/recruitment/funnel.csv",
                caption="../report/recruitment_funnel_table.rst",
                category="Recruitment",
            ),
            rates=report(
                "data/processed/recruitment/response_rate.csv",
                caption="../report/recruitment_response_rate.rst",
                category="Recruitment",
            ),
            numbers="data/processed/recruitment/numbers.csv",
        log:
            "logs/recruitment/funnel.log",
        conda:
            ENV
        params:
            seed=config["seed"],
            sampling=RECRUITMENT_CFG["sampling"],
        script:
            "../scripts/recruitment_funnel.py"

    rule recruitment_figure:
        input:
            funnel=rules.recruitment_funnel.output.funnel,
            rates=rules.recruitment_funnel.output.rates,
        output:
            pdf=report(
                "paper/figures/recruitment_funnel.pdf",
                caption="../report/recruitment_funnel.rst",
                category="Recruitment",
            ),
            png="paper/figures/recruitment_funnel.png",
            svg="paper/figures/recruitment_funnel.svg",
        log:
            "logs/recruitment/figure.log",
        conda:
            ENV
        script:
            "../scripts/recruitment_figure.py"

    register_targets(
        "recruitment",
        [*rules.recruitment_funnel.output, *rules.recruitment_figure.output],
    )
