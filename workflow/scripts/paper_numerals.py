"""Fail when the manuscript holds a numeral outside a generated macro.

A study's own manuscript must use only macros its numbers define. The shipped
template is written for the paper study: macros it uses that another study's
numbers do not define (a strand switched off, say) are listed in the report
instead of failing the run; for the paper study the report then differs from
its pinned bytes, so the bit-for-bit check still catches a missing macro.
"""

from pathlib import Path

from downstream_safety.common.errors import InputError
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import atomic_write_text
from downstream_safety.paper.numerals import check, undefined_macros, used_macros

with script_logging(snakemake) as log:  # noqa: F821
    smk = snakemake  # noqa: F821
    manuscript, numbers = Path(smk.input.manuscript), Path(smk.input.numbers)
    template = bool(smk.params.template)
    problems = check(manuscript, None if template else numbers)
    if problems:
        raise InputError(
            smk.input.manuscript,
            "hand-typed numerals or undefined macros:\n    " + "\n    ".join(problems),
            fix="use a \\Num... macro from paper/numbers.tex, or extend the allow-list in "
            "downstream_safety.paper.numerals if the numeral is not a result",
        )
    text = manuscript.read_text(encoding="utf-8")
    n = len(used_macros(text))
    report = f"ok: {n} number macros used, no stray numerals\n"
    missing = undefined_macros(text, numbers.read_text("utf-8")) if template else []
    if missing:
        report += (
            f"the shipped template uses {len(missing)} macro(s) this study does not define: "
            + ", ".join(missing)
            + "\n"
        )
    atomic_write_text(smk.output.report, report)
    log.info("%s: %d macros, no stray numerals", manuscript.name, n)
