"""Write data/processed/datapackage.json from the registered pandera schemas."""

from downstream_safety.common.datapackage import main
from downstream_safety.common.logging import script_logging

with script_logging(snakemake):  # noqa: F821
    main(["--processed", snakemake.output.package])  # noqa: F821
