"""Scan data/ and paper/ for personal data; any hit fails the run."""

from pathlib import Path

import pandas as pd

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.paths import rel
from downstream_safety.reliability import privacy, schemas

smk = snakemake  # noqa: F821

with script_logging(smk) as log:
    out = smk.output.table
    deny = privacy.read_deny_list(Path(smk.input.deny_list))
    allow = privacy.parse_allow(smk.params.allow)
    scan = [Path(p) for p in smk.params.scan]
    result = privacy.scan_paths(scan, deny, allow, exclude={rel(out)})
    if result.hits:
        raise privacy.hits_error(result.hits)
    for file, how, allowed in result.files:
        if how == "binary":
            log.info("not scanned (binary): %s", file)
        if allowed:
            log.info("%d allowed match(es) in %s", allowed, file)
    df = pd.DataFrame(result.files, columns=["file", "scanned_as", "allowed_hits"])
    write_table(df, out, schemas.PRIVACY_GATE)
