"""Table 3 from the interview, survey and incident outputs of the strands that run."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import atomic_write_text, read_table, write_table
from downstream_safety.common.writers import to_markdown
from downstream_safety.incidents.schemas import SUBTHEME_COUNTS
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews.schemas import subtheme_participants_schema
from downstream_safety.paper.load import load_published_claims
from downstream_safety.survey.schemas import item_summary_schema
from downstream_safety.synthesis import schemas
from downstream_safety.synthesis.scores import pick_wave
from downstream_safety.synthesis.table3 import (
    STRANDS,
    build_table3,
    display_table3,
    table3_caption,
    table3_latex,
    table3_note,
)

with script_logging(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    inp = smk.input
    design = from_job(smk)
    participants = summary = incidents = claims = None
    # Each strand's table is read with its owner's schema.
    if "participants" in inp.keys():
        participants = read_table(inp.participants, subtheme_participants_schema(design))
    if "item_summary" in inp.keys():
        summary = read_table(inp.item_summary, item_summary_schema(design))
        summary = pick_wave(summary, smk.params.wave, inp.item_summary)
    if "incidents" in inp.keys():
        incidents = read_table(inp.incidents, SUBTHEME_COUNTS)
    if "claims" in inp.keys():
        claims = load_published_claims(inp.claims)
    table = build_table3(design, participants, summary, incidents)
    strands = tuple(s for s, v in zip(STRANDS, (participants, summary, incidents), strict=True)
                    if v is not None)  # fmt: skip
    caption = table3_caption(strands)
    subs = design.subthemes
    names = dict(zip(subs["subtheme_id"], subs["subtheme_name"], strict=True))
    source = str(inp.claims) if claims is not None else "the claims registry"
    note = table3_note(design, claims, names, source, strands)
    write_table(table, smk.output.csv, schemas.table3(design))
    shown = display_table3(table, design, strands)
    atomic_write_text(smk.output.md, to_markdown(shown, caption=caption, note=note))
    atomic_write_text(
        smk.output.tex, table3_latex(shown, caption=caption, label="tab:subthemes", note=note)
    )
