"""Participants and codes per subtheme, theme and RQ, and the participant x subtheme matrix."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews import aggregate, schemas
from downstream_safety.interviews.load import load_participants
from downstream_safety.interviews.outputs import write_tables

smk = snakemake  # noqa: F821
with script_logging(smk):
    design = from_job(smk)
    participants = load_participants(smk.input.participants, design)
    seg = read_table(smk.input.segments, schemas.segments_clean_schema(design))
    codes = read_table(smk.input.codes, schemas.codes_clean_schema(design))
    out = smk.output
    tables = [
        (
            aggregate.subtheme_participants(seg, design),
            out.subthemes,
            schemas.subtheme_participants_schema(design),
        ),
        (
            aggregate.codes_per_rq(codes, design.rqs),
            out.codes_per_rq,
            schemas.codes_per_rq_schema(design),
        ),
        (
            aggregate.theme_participants(seg, codes, design),
            out.themes,
            schemas.theme_participants_schema(design),
        ),
        (
            aggregate.participant_subtheme_matrix(seg, participants, design),
            out.matrix,
            schemas.matrix_schema(design.subthemes["subtheme_id"].tolist()),
        ),
    ]
    write_tables(tables)
