"""Write one design view: the instrument tables and settings one group of jobs uses,
validated as the parse-time check validates the whole design."""

from downstream_safety.common.logging import script_logging
from downstream_safety.instruments.design import write_view

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    view = smk.wildcards.view
    write_view(
        smk.output.view,
        view,
        dict(smk.input.items()),
        smk.params.settings,
        # The config's settings were validated when the workflow was parsed, naming
        # the config file; the view names no file, so its bytes (and whether it
        # reruns) do not depend on how the config was passed (--configfile, a module).
        config_file="the study's config",
    )
    log.info("design view %s: %s", view, ", ".join(sorted(smk.input.keys())))
