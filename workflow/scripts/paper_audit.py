"""The self-audit: claims compared with the computed numbers (paper/claims.csv),
GRIM/GRIMMER/statcheck checks (paper/audit.csv), their summary counts and the
report's summary page."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.numbers import NUMBERS
from downstream_safety.common.tableio import atomic_write_text, read_csv_text, write_table
from downstream_safety.instruments.load import load_codebook
from downstream_safety.paper import schemas
from downstream_safety.paper.audit import build_audit
from downstream_safety.paper.claims import audit_claims, headline, summary_counts
from downstream_safety.paper.instrument_numbers import audit_numbers
from downstream_safety.paper.load import (
    answer_counts,
    load_grim_samples,
    load_published_claims,
    number_values,
    numeric,
)
from downstream_safety.paper.summary import summary_html

with script_logging(snakemake) as log:  # noqa: F821
    smk = snakemake  # noqa: F821
    out = smk.output
    published = load_published_claims(smk.input.claims)
    samples = load_grim_samples(smk.input.samples, smk.input.claims)
    values = number_values(smk.params.stages, smk.input.numbers)
    claims = audit_claims(
        published,
        values,
        load_codebook().subthemes_of("RQ1"),
        answers=answer_counts(smk.input.levels),
        samples=dict(zip(samples["claim_id"], samples["n"], strict=True)),
    )
    write_table(claims, out.claims, schemas.CLAIMS)
    log.info("claims: %s", summary_counts(claims))
    log.info("%s", headline(claims))

    tests = numeric(
        read_csv_text(smk.input.tests, required=["wave", "practice", "n_pairs", "p_value"]),
        ["n_pairs", "p_value", "effect_size_r", "z", "z_statistic", "zstatistic"],
    )
    audit = build_audit(
        published,
        samples,
        values,
        tests,
        alternative=smk.params.alternative,
        alpha=smk.params.alpha,
    )
    write_table(audit, out.audit, schemas.AUDIT)
    log.info("audit: %d checks", len(audit))

    write_table(audit_numbers(claims, audit), out.numbers, NUMBERS)
    atomic_write_text(out.html, summary_html(claims, audit, dict(smk.config), smk.params.snapshot))
