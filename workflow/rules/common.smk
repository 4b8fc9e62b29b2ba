# Helpers shared by every stage: config validation, the target registry and
# parse-time validation of user tables.
import os
import sys
from pathlib import Path

from snakemake.utils import validate

# Use this checkout's package, here and in every job (jobs inherit the environment).
SRC = str(Path(workflow.basedir) / "src")
sys.path.insert(0, SRC)
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in [SRC, os.environ.get("PYTHONPATH", "")] if p
)
os.environ["DOWNSTREAM_SAFETY_ROOT"] = str(Path(workflow.basedir).resolve())
os.environ.setdefault("MATPLOTLIBRC", str(Path(workflow.basedir) / "matplotlibrc"))
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")

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
