"""Every computed number as a LaTeX macro (paper/numbers.tex) and as JSON."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import atomic_write_text
from downstream_safety.paper.macros import load_numbers, to_json, to_tex

with script_logging(snakemake) as log:  # noqa: F821
    smk = snakemake  # noqa: F821
    paths = dict(zip(smk.params.stages, smk.input.numbers, strict=True))
    if "audit" in smk.input.keys():  # absent without a claims registry
        paths["paper_audit"] = smk.input.audit
    numbers = load_numbers(paths)
    atomic_write_text(smk.output.tex, to_tex(numbers))
    atomic_write_text(smk.output.json, to_json(numbers))
    log.info("%d macros", len(numbers))
