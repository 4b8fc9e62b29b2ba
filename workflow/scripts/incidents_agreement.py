"""Inter-annotator agreement per round and for the calibration rounds together."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.incidents import schemas
from downstream_safety.incidents.agreement import agreement_tables
from downstream_safety.incidents.load import concern_ids, load_annotations

with script_logging(snakemake) as log:  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    labels = concern_ids()
    ann = load_annotations(inp.annotations, labels)
    rounds, per_label = agreement_tables(ann, labels)
    log.info("%d rounds", len(rounds))
    write_table(rounds, out.agreement, schemas.AGREEMENT)
    write_table(per_label, out.per_label, schemas.AGREEMENT_LABELS)
