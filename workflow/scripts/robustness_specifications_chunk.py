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
from downstream_safety.survey import schemas as survey_schemas

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    study = from_job(smk)
    inp, design, cfg = smk.input, smk.params.robust_design, smk.params.settings
    # The coder-agreement table is declared only for two or more coders and a threshold.
    on = {**cfg["strands"], "coder_agreement": "coder_agreement" in inp.keys()}
    strand_inputs = {}
    if on["survey"]:
        strand_inputs.update(
            responses=read_table(inp.responses, survey_schemas.responses_schema(study)),
            screening_rules=study.screening,
            practice_items=design["practice_items"],
            context_pairs=[tuple(p) for p in design["context_pairs"]],
            blocks=design["blocks"],
            n_levels=design["n_levels"],
            rankings=design["rankings"],
            score_items=design["score_items"],
            practice_blocks=design["practice_blocks"],
            alternative=cfg["alternative"],
            alpha=cfg["alpha"],
            permutation_resamples=cfg["permutation_resamples"],
        )
    if on["interviews"]:
        order = load_participants(inp.participants, study)["participant_id"].tolist()
        segments = read_table(inp.segments, interview_schemas.segments_clean_schema(study))
        strand_inputs.update(
            interviews=interview_sets(segments, order, design["rqs"]),
            saturation_params=cfg["saturation_params"],
        )
    if on["incidents"]:
        strand_inputs.update(
            agreement_rounds=read_table(inp.agreement, incident_schemas.AGREEMENT),
            agreement_labels=read_table(inp.agreement_labels, incident_schemas.AGREEMENT_LABELS),
            agreement_levels=cfg["agreement_levels"],
        )
    if on["coder_agreement"]:
        codes = read_table(inp.interview_codes, interview_schemas.codes_clean_schema(study))
        strand_inputs.update(
            coder_agreement=read_table(inp.coder_agreement, interview_schemas.CODER_AGREEMENT),
            code_subthemes=dict(zip(codes["code_id"], codes["subtheme_id"], strict=True)),
        )
    inputs = Inputs(
        conclusions=read_table(inp.conclusions, schemas.CONCLUSIONS).fillna({"expected": ""}),
        seed=cfg["seed"],
        **strand_inputs,
    )
    # statsmodels' Holm adjustment calls gc.collect() on every call; with the
    # loaded tables frozen out of the collector each call is cheap.
    gc.freeze()
    todo = seeds.chunk_range(len(units(cfg["choices"], on)), cfg["chunks"], smk.params.chunk)
    rows = evaluate(todo, cfg["choices"], inputs, on)
    log.info("units %s: %d specification rows", todo, len(rows))
    write_table(rows, smk.output.chunk, schemas.SPECIFICATIONS)
