"""Triangulation: interviews, survey and incidents per incident label."""

import logging
from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.incidents import schemas as incident_schemas
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews.schemas import participants_schema, subtheme_participants_schema
from downstream_safety.survey.schemas import item_summary_schema
from downstream_safety.synthesis import schemas
from downstream_safety.synthesis.scores import pick_wave
from downstream_safety.synthesis.triangulation import (
    concern_scale,
    triangulation_figure,
    triangulation_table,
)

logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter

with script_logging(snakemake) as log:  # noqa: F821
    smk = snakemake  # noqa: F821
    inp, out = smk.input, smk.output
    design = from_job(smk)
    counts = read_table(inp.counts, incident_schemas.SUBTHEME_COUNTS)
    participants = n_interviewees = summary = None
    if "participants" in inp.keys():
        participants = read_table(inp.participants, subtheme_participants_schema(design))
        interviewees = read_table(inp.interviewees, participants_schema(design))
        n_interviewees = interviewees["participant_id"].nunique()
        log.info("%d interviewees", n_interviewees)
    if "item_summary" in inp.keys():
        summary = read_table(inp.item_summary, item_summary_schema(design))
        summary = summary[summary["mean"].notna()]
        summary = pick_wave(summary, smk.params.wave, inp.item_summary)
    tri = triangulation_table(design, counts, participants, n_interviewees, summary)
    write_table(tri, out.table, schemas.triangulation(design))
    survey = concern_scale(design) if summary is not None else None
    fig = triangulation_figure(tri, design.short_labels(), survey)
    save_figure(fig, Path(out.pdf).with_suffix(""))
