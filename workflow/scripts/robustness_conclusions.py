"""The study's inferential conclusions as the pipeline's own tables draw them,
from the strands that run; claim ids attached where the registry or config link them."""

import pandas as pd

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.incidents import schemas as incident_schemas
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews import schemas as interview_schemas
from downstream_safety.paper import schemas as paper_schemas
from downstream_safety.robustness import conclusions as concl
from downstream_safety.robustness import schemas
from downstream_safety.robustness.multiverse import paper_choice
from downstream_safety.survey import schemas as survey_schemas

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    study = from_job(smk)
    inp, design, cfg = smk.input, smk.params.robust_design, smk.params.settings
    on = cfg["strands"]
    paper = {k: paper_choice(v)["id"] for k, v in cfg["choices"].items()}
    # Without a claims registry the conclusions keep their own ids.
    registry = (
        concl.registry_ids(read_table(inp.claims, paper_schemas.PUBLISHED_CLAIMS))
        if "claims" in inp.keys()
        else {}
    )
    rows = []
    if on["survey"]:
        tests = read_table(inp.practice_tests, survey_schemas.practice_tests_schema(study))
        tests = tests[tests["wave"] == design["pooled_wave"]]
        summary = read_table(inp.item_summary, survey_schemas.item_summary_schema(study))
        summary = summary[summary["wave"] == design["pooled_wave"]]
        rows += concl.paired(tests, cfg["alpha"], paper["correction"])
        for entry in design["rankings"]:
            row = concl.ranking(summary, entry, concl.candidates(entry, design))
            if row is None:
                log.info("no answers to rank for %s", concl.ranking_id(entry))
            else:
                rows.append(row)
    if on["interviews"]:
        points = read_table(inp.saturation, interview_schemas.saturation_summary_schema(study))
        rows += concl.saturation(points, paper["saturation"])
    if on["incidents"]:
        agreement = read_table(inp.agreement, incident_schemas.AGREEMENT)
        rows += concl.agreement(agreement, paper["agreement"], cfg["agreement_levels"])
    # Declared only when the interviews have two or more coders and a kappa threshold.
    if "coder_agreement" in inp.keys():
        coders = concl.coder_agreement(
            read_table(inp.coder_agreement, interview_schemas.CODER_AGREEMENT)
        )
        if not coders:
            log.info("coder agreement without kappa (key points without offsets): no conclusion")
        rows += coders
    rows = concl.link(rows, registry, cfg["claims"])
    out = pd.DataFrame(rows, columns=concl.COLUMNS)
    log.info("%d conclusions:\n%s", len(out), out.to_string(index=False))
    write_table(out, smk.output.conclusions, schemas.CONCLUSIONS)
