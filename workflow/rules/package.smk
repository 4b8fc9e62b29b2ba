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
        # every output of a rule of this configuration (intermediates included)
        produced=lambda wildcards: sorted(
            str(f) for r in workflow.rules for f in r.output if "{" not in str(f)
        ),
    script:
        "../scripts/package_processed_datapackage.py"


register_targets("package", rules.processed_datapackage.output)
