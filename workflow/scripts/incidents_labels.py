"""Subtheme counts and co-occurrences over the adjudicated incidents."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.incidents import schemas
from downstream_safety.incidents.counts import cooccurrence, subtheme_counts
from downstream_safety.incidents.load import concern_ids, load_adjudicated, load_annotations

with script_logging(snakemake) as log:  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    labels = concern_ids()
    ann = load_annotations(inp.annotations, labels)
    adj = load_adjudicated(inp.adjudicated, ann, labels, inp.annotations)
    log.info("%d adjudicated incidents, labels %s", len(adj), ", ".join(labels))
    write_table(subtheme_counts(adj, labels), out.counts, schemas.SUBTHEME_COUNTS)
    write_table(cooccurrence(adj, labels), out.cooccurrence, schemas.COOCCURRENCE)
