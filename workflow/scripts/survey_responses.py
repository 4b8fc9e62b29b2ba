"""Read every configured wave under the input contract and add screening status."""

import pandas as pd

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.survey import schemas
from downstream_safety.survey.analysis import with_status
from downstream_safety.survey.load import read_waves

with script_logging(snakemake) as log:  # noqa: F821
    waves = read_waves(snakemake.params.waves)  # noqa: F821
    for w in waves:
        log.info("wave %s: %d respondents from %s", w.id, len(w.responses), w.path.name)
        if w.extra_columns:
            log.info("wave %s: extra columns ignored: %s", w.id, ", ".join(w.extra_columns))
    responses = with_status(pd.concat([w.responses for w in waves], ignore_index=True))
    responses = responses.sort_values(["wave", "respondent_id"], kind="stable")
    write_table(responses, snakemake.output.responses, schemas.RESPONSES)  # noqa: F821
