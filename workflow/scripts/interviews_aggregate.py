"""Participants and codes per subtheme, theme and RQ, and the participant x subtheme matrix."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.instruments.load import load_codebook
from downstream_safety.interviews import aggregate, schemas
from downstream_safety.interviews.load import load_participants
from downstream_safety.interviews.outputs import write_tables

smk = snakemake  # noqa: F821
with script_logging(smk):
    codebook = load_codebook()
    participants = load_participants(smk.input.participants)
    seg = read_table(smk.input.segments, schemas.SEGMENTS_CLEAN)
    codes = read_table(smk.input.codes, schemas.CODES_CLEAN)
    out = smk.output
    tables = [
        (
            aggregate.subtheme_participants(seg, codebook),
            out.subthemes,
            schemas.SUBTHEME_PARTICIPANTS,
        ),
        (aggregate.codes_per_rq(codes), out.codes_per_rq, schemas.CODES_PER_RQ),
        (
            aggregate.theme_participants(seg, codes, codebook),
            out.themes,
            schemas.THEME_PARTICIPANTS,
        ),
        (
            aggregate.participant_subtheme_matrix(seg, participants, codebook),
            out.matrix,
            schemas.matrix_schema(codebook.subthemes["subtheme_id"].tolist()),
        ),
    ]
    write_tables(tables)
