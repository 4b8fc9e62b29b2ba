# Frictionless descriptor of data/processed/, generated from the pandera schemas
# of the tables this configuration produces.
rule processed_datapackage:
    input:
        design=DESIGN_VIEWS["full"],
        targets=package_inputs,
    output:
        package="data/processed/datapackage.json",
    log:
        "logs/package/processed_datapackage.log",
    conda:
        ENV
    params:
        # the tables this configuration produces (every registered target)
        produced=package_inputs,
        title=config["study"]["title"],
        # the stages of this workflow (those that registered targets): where the
        # tables' schemas are looked up
        stages=lambda wildcards: sorted(TARGETS),
    script:
        "../scripts/package_processed_datapackage.py"


register_targets("package", rules.processed_datapackage.output)
