# Frictionless descriptor of data/processed/, generated from the pandera schemas
# of the tables this configuration produces.
rule processed_datapackage:
    input:
        **DESIGN_INPUTS,
        targets=package_inputs,
    output:
        package="data/processed/datapackage.json",
    log:
        "logs/package/processed_datapackage.log",
    conda:
        ENV
    params:
        design=DESIGN_SETTINGS,
        # the tables this configuration produces (every registered target)
        produced=package_inputs,
        title=config["study"]["title"],
    script:
        "../scripts/package_processed_datapackage.py"


register_targets("package", rules.processed_datapackage.output)
