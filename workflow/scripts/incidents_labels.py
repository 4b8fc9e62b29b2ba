"""Subtheme counts and co-occurrences over the adjudicated incidents."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.incidents import schemas
from downstream_safety.incidents.counts import cooccurrence, subtheme_counts
from downstream_safety.incidents.load import Taxonomy, load_adjudicated, load_annotations
from downstream_safety.instruments.design import from_job

with script_logging(snakemake) as log:  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    taxonomy = Taxonomy.of(from_job(snakemake))  # noqa: F821
    labels = taxonomy.labels
    ann = load_annotations(inp.annotations, taxonomy)
    adj = load_adjudicated(inp.adjudicated, taxonomy, ann, inp.annotations)
    log.info("%d adjudicated incidents, labels %s", len(adj), ", ".join(labels))
    write_table(subtheme_counts(adj, labels), out.counts, schemas.SUBTHEME_COUNTS)
    write_table(cooccurrence(adj, labels), out.cooccurrence, schemas.COOCCURRENCE)
