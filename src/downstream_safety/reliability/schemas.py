"""Schemas of the reliability reports under data/processed/reliability/."""

from __future__ import annotations

import pandera.pandas as pa

RAW_MANIFEST = pa.DataFrameSchema(
    {
        "path": pa.Column(str, unique=True, description="file under data/raw/"),
        "sha256": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{64}$")),
        "status": pa.Column(
            str,
            pa.Check.isin(["pinned", "unpinned"]),
            description="pinned: checked against data/raw/MANIFEST.sha256; unpinned: used as is",
        ),
    },
    strict=True,
    coerce=True,
    name="raw_manifest",
    description="Every raw input the run used, with its checksum and whether it is pinned",
)

PRIVACY_GATE = pa.DataFrameSchema(
    {
        "file": pa.Column(str, unique=True, description="file under data/ or paper/"),
        "scanned_as": pa.Column(
            str,
            pa.Check.isin(["text", "zip", "spss", "binary"]),
            description="text, zip members and SPSS cells are scanned; other binaries are listed",
        ),
        "allowed_hits": pa.Column(
            int, pa.Check.ge(0), description="matches excused by privacy.allow in the config"
        ),
    },
    strict=True,
    coerce=True,
    name="privacy_gate",
    description="Files checked by the privacy gate (a run with any hit fails instead)",
)


# The privacy gate's report is not listed: it is written after every other
# output, including data/processed/datapackage.json, which it scans.
def tables(design=None) -> dict[str, pa.DataFrameSchema]:
    return {"data/processed/reliability/raw_manifest.csv": RAW_MANIFEST}
