"""Real-data checks from the committed AIID extract: the published incident
claims against MIT-crosswalk labels, the label shares behind them and the CSET
v1 agreement reference."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.incidents import realdata, schemas
from downstream_safety.incidents.extract import load_fields
from downstream_safety.incidents.load import Taxonomy, load_crosswalk
from downstream_safety.instruments.design import from_job
from downstream_safety.paper.load import load_published_claims

with script_logging(snakemake) as log:  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    cfg = realdata.Settings.of(snakemake.params.settings)  # noqa: F821
    taxonomy = Taxonomy.of(from_job(snakemake))  # noqa: F821
    labels = taxonomy.labels
    folder = str(inp.incidents).rsplit("/", 1)[0]
    crosswalk = load_crosswalk(inp.crosswalk, taxonomy)
    claims = load_published_claims(inp.claims)
    incidents = realdata.load_extract_incidents(folder)
    mit = realdata.load_mit(folder)
    fields = load_fields(inp.cset_fields)
    n_total = realdata.published_total(claims, inp.claims)
    ids = sorted(incidents["incident_id"])[:n_total]
    shares = realdata.real_shares(ids, mit, realdata.variant_maps(crosswalk, cfg), labels)
    checks = realdata.real_checks(claims, inp.claims, incidents, shares, labels, cfg)
    per_field, pairs = realdata.cset_agreement(
        realdata.load_cset(folder, fields), fields, cfg.min_shared_incidents
    )
    log.info("real checks: %s", realdata.verdict_counts(checks))
    log.info("CSET alpha: %s", realdata.alpha_summary(per_field))
    write_table(checks, out.checks, schemas.REAL_CHECKS)
    write_table(shares, out.shares, schemas.REAL_SHARES)
    write_table(per_field, out.cset, schemas.CSET_AGREEMENT)
    write_table(pairs, out.pairs, schemas.CSET_PAIRS)
