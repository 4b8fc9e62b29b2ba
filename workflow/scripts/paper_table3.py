"""Table 3 from the interview, survey and incident outputs."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import atomic_write_text, read_csv_text, to_csv_text, validate
from downstream_safety.instruments.load import load_codebook, load_survey_instrument
from downstream_safety.paper import schemas
from downstream_safety.paper.load import load_published_claims, numeric
from downstream_safety.paper.render import to_markdown
from downstream_safety.paper.table3 import (
    build_table3,
    display_table3,
    pick_wave,
    table3_latex,
    table3_note,
)

with script_logging(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    codebook = load_codebook()
    items = load_survey_instrument().items
    participants = numeric(
        read_csv_text(smk.input.participants, required=["subtheme_id", "n_participants"]),
        ["n_participants"],
    )
    summary = numeric(
        read_csv_text(smk.input.item_summary, required=["wave", "item_id", "mean"]), ["mean"]
    )
    incidents = numeric(
        read_csv_text(smk.input.incidents, required=["subtheme_id", "n_incidents"]), ["n_incidents"]
    )
    table = build_table3(
        codebook, participants, items, pick_wave(summary, smk.params.wave), incidents
    )
    table = validate(table, schemas.TABLE3, smk.output.csv)
    caption = "Subthemes with interview participants, survey score and AI incidents"
    names = dict(
        zip(codebook.subthemes["subtheme_id"], codebook.subthemes["subtheme_name"], strict=True)
    )
    note = table3_note(load_published_claims(smk.input.claims), names)
    shown = display_table3(table, codebook)
    atomic_write_text(smk.output.csv, to_csv_text(table))
    atomic_write_text(smk.output.md, to_markdown(shown, caption=caption, note=note))
    atomic_write_text(
        smk.output.tex, table3_latex(shown, caption=caption, label="tab:subthemes", note=note)
    )
