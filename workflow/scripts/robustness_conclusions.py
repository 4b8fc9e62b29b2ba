"""The paper's inferential conclusions as the pipeline's own tables draw them."""

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
from downstream_safety.robustness.settings import stage_design
from downstream_safety.survey import schemas as survey_schemas

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    study = from_job(smk)
    inp, design, cfg = smk.input, stage_design(study), smk.params.settings
    paper = {k: paper_choice(v)["id"] for k, v in cfg["choices"].items()}
    # Without a registry of published numbers the conclusions keep their own ids.
    claims = (
        concl.registry_ids(read_table(inp.claims, paper_schemas.PUBLISHED_CLAIMS))
        if "claims" in inp.keys()
        else {}
    )
    tests = read_table(inp.practice_tests, survey_schemas.practice_tests_schema(study))
    tests = tests[tests["wave"] == design["pooled_wave"]]
    summary = read_table(inp.item_summary, survey_schemas.item_summary_schema(study))
    summary = summary[summary["wave"] == design["pooled_wave"]]
    rows = concl.paired(tests, claims, cfg["alpha"], paper["correction"])
    for entry in cfg["rankings"]:
        if entry["statistic"] == "practice_score":
            candidates = design["score_items"]
        else:
            candidates = {i: [i] for i in design["blocks"][entry["block"]]}
        rows.append(concl.ranking(summary, entry, candidates))
    points = read_table(inp.saturation, interview_schemas.saturation_summary_schema(study))
    rows += concl.saturation(points, paper["saturation"], cfg["saturation"])
    agreement = read_table(inp.agreement, incident_schemas.AGREEMENT)
    rows.append(concl.agreement(agreement, paper["agreement"], cfg["agreement"]))
    out = pd.DataFrame(rows, columns=concl.COLUMNS)
    log.info("%d conclusions:\n%s", len(out), out.to_string(index=False))
    write_table(out, smk.output.conclusions, schemas.CONCLUSIONS)
