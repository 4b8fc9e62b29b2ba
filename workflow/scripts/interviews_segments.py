"""Read the coded interviews (CSV or REFI-QDA, per config) into the checked,
normalised segment and code tables."""

from downstream_safety.common.logging import script_logging
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews import schemas
from downstream_safety.interviews.outputs import write_tables
from downstream_safety.interviews.sources import load_coded_interviews

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    design = from_job(smk)
    files = {k: smk.input[k] for k in smk.params.files}
    coded = load_coded_interviews(smk.params.source, files, design, smk.params.offsets)
    for note in coded.notes:
        log.info("%s", note)
    unused = coded.codes.loc[coded.codes["n_segments"] == 0, "code_id"].tolist()
    if unused:
        log.warning("codes never applied (not counted): %s", ", ".join(unused))
    log.info("%d segments, %d codes", len(coded.segments), len(coded.codes))
    coders = coded.coders()
    if len(coders) >= 2:
        log.info("coders: %s (agreement: interviews_coder_agreement)", ", ".join(coders))
    else:
        log.info("one coder named (%s): inter-coder agreement not computed", coders or "none")
    write_tables(
        [
            (coded.segments, smk.output.segments, schemas.segments_clean_schema(design)),
            (coded.codes, smk.output.codes, schemas.codes_clean_schema(design)),
        ]
    )
