"""Inter-coder agreement of the interviews coded by two or more coders."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews import schemas
from downstream_safety.interviews.coder_agreement import agreement_table
from downstream_safety.interviews.sources import load_coded_interviews

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    design = from_job(smk)
    files = {k: smk.input[k] for k in smk.params.files}
    coded = load_coded_interviews(smk.params.source, files, design, smk.params.offsets)
    coders = coded.coders()
    if len(coders) < 2:
        raise RuntimeError(
            f"Bug in the package: the agreement rule ran with coders {coders} (the workflow "
            "includes it only for two or more coders)."
        )
    log.info("coders: %s", ", ".join(coders))
    if "start" not in coded.codings.columns:
        log.info("key points without offsets (CSV form): presence alpha only, no kappa")
    table = agreement_table(
        coded.segments,
        coded.codings,
        coded.lengths,
        design.subthemes["subtheme_id"].tolist(),
        smk.params.kappa_threshold,
    )
    write_table(table, smk.output.agreement, schemas.CODER_AGREEMENT)
