"""Inter-annotator agreement per round and for the calibration rounds together."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.incidents import schemas
from downstream_safety.incidents.agreement import agreement_tables
from downstream_safety.incidents.load import Taxonomy, load_annotations
from downstream_safety.instruments.design import from_job

with script_logging(snakemake) as log:  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    taxonomy = Taxonomy.of(from_job(snakemake))  # noqa: F821
    ann = load_annotations(inp.annotations, taxonomy)
    rounds, per_label = agreement_tables(ann, taxonomy.labels)
    log.info("%d rounds", len(rounds))
    write_table(rounds, out.agreement, schemas.AGREEMENT)
    write_table(per_label, out.per_label, schemas.AGREEMENT_LABELS)
