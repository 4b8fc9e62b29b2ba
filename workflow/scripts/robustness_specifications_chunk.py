"""One chunk of the multiverse: the specification rows of a slice of the work units."""

import gc

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.incidents import schemas as incident_schemas
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews import schemas as interview_schemas
from downstream_safety.interviews.load import load_participants
from downstream_safety.robustness import schemas, seeds
from downstream_safety.robustness.multiverse import Inputs, evaluate, units
from downstream_safety.robustness.orders import interview_sets
from downstream_safety.robustness.settings import stage_design
from downstream_safety.survey import schemas as survey_schemas

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    study = from_job(smk)
    inp, design, cfg = smk.input, stage_design(study), smk.params.settings
    order = load_participants(inp.participants, study)["participant_id"].tolist()
    segments = read_table(inp.segments, interview_schemas.segments_clean_schema(study))
    inputs = Inputs(
        conclusions=read_table(inp.conclusions, schemas.CONCLUSIONS).fillna({"expected": ""}),
        responses=read_table(inp.responses, survey_schemas.responses_schema(study)),
        screening_rules=study.screening,
        practice_items=design["practice_items"],
        context_pairs=[tuple(p) for p in design["context_pairs"]],
        blocks=design["blocks"],
        n_levels=design["n_levels"],
        rankings=cfg["rankings"],
        score_items=design["score_items"],
        alternative=cfg["alternative"],
        alpha=cfg["alpha"],
        seed=cfg["seed"],
        permutation_resamples=cfg["permutation_resamples"],
        interviews=interview_sets(segments, order, design["rqs"]),
        saturation_params=cfg["saturation_params"],
        agreement_rounds=read_table(inp.agreement, incident_schemas.AGREEMENT),
        agreement_labels=read_table(inp.agreement_labels, incident_schemas.AGREEMENT_LABELS),
        agreement_entry=cfg["agreement"],
    )
    # statsmodels' Holm adjustment calls gc.collect() on every call; with the
    # loaded tables frozen out of the collector each call is cheap.
    gc.freeze()
    todo = seeds.chunk_range(len(units(cfg["choices"])), cfg["chunks"], smk.params.chunk)
    rows = evaluate(todo, cfg["choices"], inputs)
    log.info("units %s: %d specification rows", todo, len(rows))
    write_table(rows, smk.output.chunk, schemas.SPECIFICATIONS)
