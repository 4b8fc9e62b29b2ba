"""Read every configured wave under the input contract and add screening status."""

import pandas as pd

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.instruments.design import from_job
from downstream_safety.survey import schemas
from downstream_safety.survey.analysis import with_status
from downstream_safety.survey.load import read_waves

with script_logging(snakemake) as log:  # noqa: F821
    design = from_job(snakemake)  # noqa: F821
    # The declared inputs, in config order, with their wave ids.
    paths = snakemake.input.waves  # noqa: F821
    paths = [paths] if isinstance(paths, str) else list(paths)
    ids = snakemake.params.wave_ids  # noqa: F821
    waves = read_waves([{"id": i, "responses": p} for i, p in zip(ids, paths, strict=True)], design)
    for w in waves:
        log.info("wave %s: %d respondents from %s", w.id, len(w.responses), w.path.name)
        if w.extra_columns:
            log.info("wave %s: extra columns ignored: %s", w.id, ", ".join(w.extra_columns))
    responses = with_status(pd.concat([w.responses for w in waves], ignore_index=True), design)
    responses = responses.sort_values(["wave", "respondent_id"], kind="stable")
    write_table(responses, snakemake.output.responses, schemas.responses_schema(design))  # noqa: F821
