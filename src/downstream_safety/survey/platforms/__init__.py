"""Survey-platform exports read as the platforms write them (docs/survey.md).

One module per platform: ``qualtrics`` (current, 2016 and legacy layouts, CSV
or TSV, choice text or numeric values), ``spss`` (.sav with value labels) and
``limesurvey`` (the response export). Each returns an ``Export``: the plain
wave's columns with answers as labels, and the counts of the rows that are not
responses (previews, tests, spam; unfinished responses), which screening.csv
counts before the configured rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from downstream_safety.survey.platforms.common import Export, Wanted

FORMATS = ("plain", "qualtrics", "spss", "limesurvey")
# Rows of a platform export that are not responses, in screening.csv's order.
NONRESPONSE_STATUSES = ("excluded_preview", "excluded_unfinished")

__all__ = ["FORMATS", "NONRESPONSE_STATUSES", "Export", "Wanted", "read_export"]


def uses_platform(waves: Iterable[dict]) -> bool:
    """True when some wave is a platform export (its non-responses are counted)."""
    return any(w.get("format", "plain") != "plain" for w in waves)


def platform_statuses(platform: bool) -> list[str]:
    return list(NONRESPONSE_STATUSES) if platform else []


def screening_statuses(design) -> list[str]:
    """The status of each respondent after screening: one per screening rule, then valid."""
    return [r.status for r in design.screening] + ["valid"]


def funnel(design, platform: bool) -> list[str]:
    """Columns of screening.csv after ``recruited``: they add up to it."""
    return [*platform_statuses(platform), *screening_statuses(design)]


def read_export(
    fmt: str,
    path: Path | str,
    wave: str,
    wanted: Wanted,
    columns_file: Path | str | None = None,
    values_file: Path | str | None = None,
) -> Export:
    """Read one platform export with the reader of ``fmt``."""
    from downstream_safety.survey.platforms import limesurvey, qualtrics, spss

    reader = {"qualtrics": qualtrics, "spss": spss, "limesurvey": limesurvey}[fmt]
    return reader.read(Path(path), wave, wanted, columns_file, values_file)
