# Frictionless descriptor of data/processed/, generated from the pandera schemas.
from downstream_safety.common.datapackage import all_tables

PROCESSED_TABLES = sorted(
    p for p in all_tables() if p.startswith("data/processed/") and "{" not in p
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
