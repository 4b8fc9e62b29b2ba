"""Triangulation: interviews, survey and incidents per concern subtheme."""

import logging
from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_csv_text, read_table, write_table
from downstream_safety.incidents import schemas
from downstream_safety.incidents.figures import triangulation_figure, triangulation_table
from downstream_safety.instruments.load import load_codebook

logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter

with script_logging(snakemake) as log:  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    codebook = load_codebook()
    subs = codebook.subthemes
    names = dict(zip(subs["subtheme_id"], subs["short_label"], strict=True))
    counts = read_table(inp.counts, schemas.SUBTHEME_COUNTS)
    participants = read_csv_text(inp.participants, required=["rq", "subtheme_id", "n_participants"])
    participants["n_participants"] = participants["n_participants"].astype(int)
    n_interviewees = read_csv_text(inp.interviewees, required=["participant_id"])[
        "participant_id"
    ].nunique()
    summary = read_csv_text(inp.item_summary, required=["wave", "item_id", "mean", "pct_top2"])
    summary = summary[summary["mean"] != ""].astype({"mean": float, "pct_top2": float})
    log.info("%d interviewees", n_interviewees)
    tri = triangulation_table(
        counts, participants, n_interviewees, summary, codebook.subthemes_of("RQ1")
    )
    write_table(tri, out.table, schemas.TRIANGULATION)
    save_figure(triangulation_figure(tri, names), Path(out.pdf).with_suffix(""))
