"""The self-audit: claims compared with the computed numbers (paper/claims.csv),
GRIM/GRIMMER/statcheck checks (paper/audit.csv), their summary counts and the
report's summary page."""

import pandas as pd

from downstream_safety.common.logging import script_logging
from downstream_safety.common.numbers import NUMBERS
from downstream_safety.common.tableio import (
    atomic_write_text,
    read_table,
    write_table,
)
from downstream_safety.incidents import schemas as incident_schemas
from downstream_safety.instruments.design import from_job
from downstream_safety.paper import schemas
from downstream_safety.paper.audit import build_audit
from downstream_safety.paper.claims import audit_claims, headline, real_claims, summary_counts
from downstream_safety.paper.instrument_numbers import audit_numbers
from downstream_safety.paper.load import (
    answer_counts,
    load_grim_samples,
    load_published_claims,
    number_values,
)
from downstream_safety.paper.summary import summary_html
from downstream_safety.survey.load import POOLED
from downstream_safety.survey.schemas import item_levels_schema, practice_tests_schema

with script_logging(snakemake) as log:  # noqa: F821
    smk = snakemake  # noqa: F821
    out, par = smk.output, smk.params
    design = from_job(smk)
    published = load_published_claims(smk.input.claims)
    samples = load_grim_samples(smk.input.samples, smk.input.claims)
    values = number_values(par.stages, smk.input.numbers)
    answers = {}
    if "levels" in smk.input.keys():
        levels = read_table(smk.input.levels, item_levels_schema(design))
        answers = answer_counts(levels, POOLED)
    # rank(...) claims rank a key among the same-prefix keys of every subtheme.
    claims = audit_claims(
        published,
        values,
        design.subthemes["subtheme_id"].tolist(),
        answers=answers,
        samples=dict(zip(samples["claim_id"], samples["n"], strict=True)),
    )
    real = None
    if "real_checks" in smk.input.keys():
        checks = read_table(smk.input.real_checks, incident_schemas.REAL_CHECKS)
        claims = pd.concat([claims, real_claims(published, checks)], ignore_index=True)
        real = {
            "checks": checks,
            "cset": read_table(smk.input.cset_agreement, incident_schemas.CSET_AGREEMENT),
            "pairs": read_table(smk.input.cset_pairs, incident_schemas.CSET_PAIRS),
            "figure": smk.input.real_figure,
            "keywords": (
                read_table(smk.input.keyword_quality, incident_schemas.KEYWORD_QUALITY)
                if "keyword_quality" in smk.input.keys()
                else None
            ),
        }
    write_table(claims, out.claims, schemas.CLAIMS)
    log.info("claims: %s", summary_counts(claims))
    log.info("%s", headline(claims))

    tests = None
    if "tests" in smk.input.keys():
        tests = read_table(smk.input.tests, practice_tests_schema(design))
    audit = build_audit(
        published,
        samples,
        values,
        tests,
        alternative=par.alternative,
        alpha=par.alpha,
    )
    write_table(audit, out.audit, schemas.AUDIT)
    log.info("audit: %d checks", len(audit))

    write_table(audit_numbers(claims, audit), out.numbers, NUMBERS)
    atomic_write_text(
        out.html,
        summary_html(
            claims,
            audit,
            dict(par.settings),
            par.seed,
            par.snapshot,
            par.provenance,
            real=real,
            title=par.title,
        ),
    )
