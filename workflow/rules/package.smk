# Frictionless descriptor of data/processed/, generated from the pandera schemas.
rule processed_datapackage:
    input:
        targets=package_inputs,
    output:
        package="data/processed/datapackage.json",
    log:
        "logs/package/processed_datapackage.log",
    conda:
        ENV
    script:
        "../scripts/package_processed_datapackage.py"


register_targets("package", rules.processed_datapackage.output)
