"""List every raw input with its checksum and whether the manifest pins it."""

import pandas as pd

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.reliability import manifest, schemas

with script_logging(snakemake) as log:  # noqa: F821
    smk = snakemake  # noqa: F821
    pinned = smk.input.manifest[0] if smk.input.manifest else None
    status = manifest.require_pinned_unchanged(pinned, list(smk.params.named))
    for name in status.unpinned:
        log.warning("unpinned raw input (used, not covered by a manifest): %s", name)
    rows = [(p, h, s) for p, h, s in status.rows() if s in {"pinned", "unpinned"}]
    df = pd.DataFrame(rows, columns=["path", "sha256", "status"])
    write_table(df, smk.output.table, schemas.RAW_MANIFEST)
