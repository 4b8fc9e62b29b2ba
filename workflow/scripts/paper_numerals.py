"""Fail when paper/main.tex holds a numeral outside a generated macro."""

from pathlib import Path

from downstream_safety.common.errors import InputError
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import atomic_write_text
from downstream_safety.paper.numerals import check, used_macros

with script_logging(snakemake) as log:  # noqa: F821
    smk = snakemake  # noqa: F821
    problems = check(Path(smk.input.manuscript), Path(smk.input.numbers))
    if problems:
        raise InputError(
            smk.input.manuscript,
            "hand-typed numerals or undefined macros:\n    " + "\n    ".join(problems),
            fix="use a \\Num... macro from paper/numbers.tex, or extend the allow-list in "
            "downstream_safety.paper.numerals if the numeral is not a result",
        )
    n = len(used_macros(Path(smk.input.manuscript).read_text(encoding="utf-8")))
    atomic_write_text(smk.output.report, f"ok: {n} number macros used, no stray numerals\n")
    log.info("main.tex: %d macros, no stray numerals", n)
