"""Read every configured wave under the input contract and add screening status."""

import pandas as pd

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.instruments.design import from_job
from downstream_safety.survey import schemas
from downstream_safety.survey.analysis import with_status
from downstream_safety.survey.load import read_waves
from downstream_safety.survey.platforms import NONRESPONSE_STATUSES

with script_logging(snakemake) as log:  # noqa: F821
    design = from_job(snakemake)  # noqa: F821
    # The declared inputs, in config order, with their wave ids.
    paths = snakemake.input.waves  # noqa: F821
    paths = [paths] if isinstance(paths, str) else list(paths)
    ids = snakemake.params.wave_ids  # noqa: F821
    formats = snakemake.params.get("wave_formats") or ["plain"] * len(ids)  # noqa: F821
    specs = []
    for i, (wave_id, path, fmt) in enumerate(zip(ids, paths, formats, strict=True)):
        spec = {"id": wave_id, "responses": path, "format": fmt}
        for kind in ("columns", "verdicts", "values"):  # declared as <kind>_<i>
            if f"{kind}_{i}" in snakemake.input.keys():  # noqa: F821
                spec[kind] = snakemake.input[f"{kind}_{i}"]  # noqa: F821
        specs.append(spec)
    waves = read_waves(specs, design)
    for w in waves:
        log.info("wave %s: %d respondents from %s", w.id, len(w.responses), w.path.name)
        if w.extra_columns:
            log.info("wave %s: extra columns ignored: %s", w.id, ", ".join(w.extra_columns))
        for status, n in w.nonresponses.items():
            log.info("wave %s: %s %d row(s)", w.id, status, n)
    responses = with_status(pd.concat([w.responses for w in waves], ignore_index=True), design)
    responses = responses.sort_values(["wave", "respondent_id"], kind="stable")
    write_table(responses, snakemake.output.responses, schemas.responses_schema(design))  # noqa: F821
    if "nonresponses" in snakemake.output.keys():  # noqa: F821  (some wave is a platform export)
        counts = pd.DataFrame(
            [{"wave": w.id, **{s: w.nonresponses.get(s, 0) for s in NONRESPONSE_STATUSES}}
             for w in waves]
        )  # fmt: skip
        write_table(counts, snakemake.output.nonresponses, schemas.nonresponses_schema())  # noqa: F821
