"""One exception type for every problem with user-supplied input.

A reviewer who feeds the package a broken export should read one message and
know the file, the column, the rows and the fix, without a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable


class InputError(Exception):
    """Bad input: names the file, column, rows and how to fix it."""

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        column: str | None = None,
        rows: Iterable[int] | None = None,
        values: Iterable[object] | None = None,
        fix: str | None = None,
    ) -> None:
        self.file = str(file)
        self.problem = problem
        self.column = column
        self.rows = sorted({int(r) for r in rows}) if rows is not None else []
        self.values = list(values) if values is not None else []
        self.fix = fix
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"Invalid input in {self.file}", f"  problem: {self.problem}"]
        if self.column is not None:
            lines.append(f"  column:  {self.column}")
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:20])
            more = f" ... ({len(self.rows)} rows in all)" if len(self.rows) > 20 else ""
            lines.append(f"  rows:    {shown}{more} (line numbers in the file, header = 1)")
        if self.values:
            shown_v = ", ".join(_short(repr(v)) for v in self.values[:10])
            more_v = f" ... ({len(self.values)} in all)" if len(self.values) > 10 else ""
            lines.append(f"  values:  {shown_v}{more_v}")
        if self.fix:
            lines.append(f"  fix:     {self.fix}")
        return "\n".join(lines)


def _short(text: str, limit: int = 80) -> str:
    """Keep messages readable when a cell holds megabytes."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


def combine(errors: list[InputError]) -> InputError:
    """Report several problems at once (users fix a file in one pass, not ten)."""
    if len(errors) == 1:
        return errors[0]
    err = InputError(errors[0].file, f"{len(errors)} problems found")
    err.args = ("\n\n".join(e.render() for e in errors),)
    return err
