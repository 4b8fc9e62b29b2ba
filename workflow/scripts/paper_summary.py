"""The report's summary page for a study without a claims registry."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import atomic_write_text
from downstream_safety.paper.summary import summary_html

with script_logging(snakemake):  # noqa: F821
    par = snakemake.params  # noqa: F821
    html = summary_html(
        None, None, dict(par.settings), par.seed, par.snapshot, par.provenance, title=par.title
    )
    atomic_write_text(snakemake.output.html, html)  # noqa: F821
