# Frictionless descriptor of data/processed/, generated from the pandera schemas.
from downstream_safety.common.datapackage import all_tables

# Only tables that some rule of this configuration produces (e.g. the snapshot
# enrichment tables exist only when a snapshot is configured).
PRODUCED = {str(f) for r in workflow.rules for f in r.output}
PROCESSED_TABLES = sorted(
    p for p in all_tables() if p.startswith("data/processed/") and p in PRODUCED
)


rule processed_datapackage:
    input:
        tables=PROCESSED_TABLES,
    output:
        package="data/processed/datapackage.json",
    log:
        "logs/package/processed_datapackage.log",
    conda:
        ENV
    script:
        "../scripts/package_processed_datapackage.py"


register_targets("package", rules.processed_datapackage.output)
