"""Gather the multiverse chunks; verdict per conclusion; the report's Robustness page."""

import pandas as pd

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import atomic_write_text, read_table, write_table
from downstream_safety.robustness import page, schemas
from downstream_safety.robustness.multiverse import summary

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    conclusions = read_table(smk.input.conclusions, schemas.CONCLUSIONS)
    specs = pd.concat(
        [read_table(p, schemas.SPECIFICATIONS) for p in smk.input.chunks], ignore_index=True
    )
    table = summary(specs, conclusions)
    write_table(specs, smk.output.specifications, schemas.SPECIFICATIONS)
    write_table(table, smk.output.summary, schemas.SUMMARY)
    atomic_write_text(smk.output.html, page.render(table, specs, smk.params.settings["choices"]))
    log.info("%s", page.headline(table))
