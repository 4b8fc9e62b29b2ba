# Helpers shared by every stage: config validation, the target registry and
# parse-time validation of user tables.
import sys
from pathlib import Path

from snakemake.utils import validate

sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from downstream_safety.paths import ROOT  # noqa: E402
from downstream_safety.common.errors import InputError  # noqa: E402

validate(config, schema="../schemas/config.schema.yaml")

ENV = "../envs/replication.yaml"

# Each stage registers its final targets here; rule all asks for all of them.
TARGETS = {}


def register_targets(stage, paths):
    TARGETS.setdefault(stage, []).extend(str(p) for p in paths)


def final_targets(wildcards):
    return sorted({p for paths in TARGETS.values() for p in paths})


def parse_time_check(check, *args, **kwargs):
    """Run a validation at parse time; stop with the readable message on bad input."""
    try:
        return check(*args, **kwargs)
    except InputError as err:
        raise WorkflowError(str(err)) from None
