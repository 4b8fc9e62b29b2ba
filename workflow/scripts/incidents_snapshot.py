"""Enrichment from the configured AIID snapshot: titles and dates, incidents
per year, crosswalk agreement and the pre-annotation worksheet (the keyword
pre-annotation quality comes from the committed extract: rule
incidents_keyword_quality)."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.incidents import enrich, schemas
from downstream_safety.incidents.load import (
    Taxonomy,
    load_all,
    load_crosswalk,
    load_keyword_rules,
)
from downstream_safety.incidents.snapshot import load_incidents, load_mit, open_snapshot
from downstream_safety.instruments.design import from_job

with script_logging(snakemake) as log:  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    folder = snakemake.params.snapshot  # noqa: F821
    design = from_job(snakemake)  # noqa: F821
    taxonomy = Taxonomy.of(design)
    labels = taxonomy.labels
    ann, adj = load_all(
        design, inp.annotations, inp.adjudicated, folder, inp.crosswalk, inp.keyword_rules
    )
    snap = open_snapshot(folder)
    incidents, mit = load_incidents(snap), load_mit(snap)
    crosswalk = load_crosswalk(inp.crosswalk, taxonomy)
    rules = load_keyword_rules(inp.keyword_rules, taxonomy)
    enriched = enrich.enrich(adj, incidents, mit)
    sheet = enrich.worksheet(incidents, set(ann["incident_id"]), mit, crosswalk, rules, labels)
    log.info("%d snapshot incidents, %d to pre-annotate", len(incidents), len(sheet))
    write_table(enriched, out.enriched, schemas.enriched(taxonomy.rq))
    write_table(enrich.per_year(enriched, labels), out.per_year, schemas.PER_YEAR)
    write_table(
        enrich.crosswalk_agreement(enriched, crosswalk, labels),
        out.crosswalk,
        schemas.CROSSWALK_AGREEMENT,
    )
    write_table(sheet, out.worksheet, schemas.worksheet(taxonomy.rq))
