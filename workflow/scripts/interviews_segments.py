"""Read the coded interviews (CSV or REFI-QDA, per config) into the checked,
normalised segment and code tables."""

from downstream_safety.common.logging import script_logging
from downstream_safety.interviews import schemas
from downstream_safety.interviews.load import load_csv_interviews
from downstream_safety.interviews.outputs import write_tables
from downstream_safety.interviews.refi_qda import load_qdpx_interviews

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    inp = smk.input
    if smk.params.source == "refi_qda":
        coded = load_qdpx_interviews(inp.project, inp.participants)
    else:
        coded = load_csv_interviews(inp.codes, inp.segments, inp.participants)
    unused = coded.codes.loc[coded.codes["n_segments"] == 0, "code_id"].tolist()
    if unused:
        log.warning("codes never applied (not counted): %s", ", ".join(unused))
    log.info("%d segments, %d codes", len(coded.segments), len(coded.codes))
    write_tables(
        [
            (coded.segments, smk.output.segments, schemas.SEGMENTS_CLEAN),
            (coded.codes, smk.output.codes, schemas.CODES_CLEAN),
        ]
    )
