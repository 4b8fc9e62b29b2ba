# Recruitment: the paper's Hugging Face sampling rule applied to the
# (reconstructed) candidate snapshot, the contact funnel and its figure.
from downstream_safety.recruitment.sampling import (
    check_inputs as _check_recruitment,
)  # noqa: E402

RECRUITMENT_RAW = "data/raw/recruitment"

parse_time_check(
    _check_recruitment,
    RECRUITMENT_RAW,
    "data/raw/interviews/participants.csv",
    config["seed"],
)


rule recruitment_funnel:
    input:
        users=f"{RECRUITMENT_RAW}/hf_users.csv",
        organisations=f"{RECRUITMENT_RAW}/hf_organisations.csv",
        memberships=f"{RECRUITMENT_RAW}/hf_memberships.csv",
        contacts=f"{RECRUITMENT_RAW}/contact_log.csv",
        participants="data/raw/interviews/participants.csv",
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
