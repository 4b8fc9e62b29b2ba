"""Scan the output folders for personal data; any hit fails the run."""

from pathlib import Path

import pandas as pd

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.paper.verify import is_run_specific
from downstream_safety.reliability import privacy, schemas
from downstream_safety.reliability.privacy import rel

smk = snakemake  # noqa: F821

with script_logging(smk) as log:
    out = smk.output.table
    deny = privacy.read_deny_list(Path(smk.input.deny_list))
    allow = privacy.parse_allow(smk.params.allow)
    scan = [Path(p) for p in smk.params.scan]
    # Files whose presence depends on earlier runs (the HTML report, an optional
    # PDF) are left to the scan that repro.py runs after the report is built, so
    # that this table is the same on every clean run.
    run_specific = {rel(f) for f in privacy.iter_files(scan) if is_run_specific(rel(f))}
    result = privacy.scan_paths(scan, deny, allow, exclude={rel(out)} | run_specific)
    if result.hits:
        raise privacy.hits_error(result.hits)
    for file, how, allowed in result.files:
        if how == "binary":
            log.info("not scanned (binary): %s", file)
        if allowed:
            log.info("%d allowed match(es) in %s", allowed, file)
    df = pd.DataFrame(result.files, columns=["file", "scanned_as", "allowed_hits"])
    write_table(df, out, schemas.PRIVACY_GATE)
