"""Render Table 1 as CSV, Markdown and LaTeX."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.common.writers import write_table_formats
from downstream_safety.instruments import schemas
from downstream_safety.instruments.table1 import display_table1

with script_logging(snakemake):  # noqa: F821
    out = snakemake.output  # noqa: F821
    table = read_table(snakemake.input.table, schemas.TABLE1)  # noqa: F821
    write_table_formats(
        table,
        out.csv,
        out.md,
        out.tex,
        display=display_table1(table),
        caption="Interview and survey instruments",
        label="tab:instruments",
        colspec=r"p{0.2\linewidth}p{0.45\linewidth}p{0.28\linewidth}",
    )
