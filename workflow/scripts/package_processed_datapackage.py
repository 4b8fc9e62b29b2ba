"""Write data/processed/datapackage.json from the schemas of the tables this run produces."""

from downstream_safety.common.datapackage import write_processed
from downstream_safety.common.logging import script_logging
from downstream_safety.instruments.design import from_job

with script_logging(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    write_processed(
        smk.output.package,
        from_job(smk),
        list(smk.params.produced),
        smk.params.title,
        smk.params.stages,
    )
