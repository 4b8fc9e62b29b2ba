# Helpers shared by every stage: config validation, the target registry and
# parse-time validation of user tables.
import sys
from pathlib import Path

# jsonschema imports rfc3987_syntax when it is installed (jupyter brings it) and
# that module compiles a grammar for several seconds at import. Our config
# schemas use no "format" keyword, so the parse skips it to stay fast.
sys.modules.setdefault("rfc3987_syntax", None)

from snakemake.utils import validate

# Use this checkout's package, here and in every job (see common/jobenv.py).
sys.path.insert(0, str(Path(workflow.basedir) / "src"))
from downstream_safety.common.jobenv import configure  # noqa: E402

configure(workflow.basedir)

from downstream_safety.paths import ROOT  # noqa: E402
from downstream_safety.common.errors import InputError  # noqa: E402
from downstream_safety.common.parsecache import cached_check  # noqa: E402

try:
    validate(config, schema="../schemas/config.schema.yaml")
except WorkflowError as err:
    raise WorkflowError(
        f"Invalid configuration (file(s): {', '.join(map(str, workflow.configfiles))}"
        " and any --config values).\n"
        f"{err}\n"
        "fix: correct the key named above; every key, its type and default are listed "
        "in config/README.md."
    ) from None

ENV = "../envs/replication.yaml"

# Each stage registers its final targets here; rule all asks for all of them.
TARGETS = {}


def register_targets(stage, paths):
    TARGETS.setdefault(stage, []).extend(str(p) for p in paths)


def final_targets(wildcards):
    return sorted({p for paths in TARGETS.values() for p in paths})


def parse_time_check(check, *args, **kwargs):
    """Run a validation at parse time; stop with the readable message on bad input.

    A check that succeeded before on byte-identical inputs and code is not
    repeated (see downstream_safety.common.parsecache).
    """
    snapshot = config["incidents"].get("aiid_snapshot")
    extra = [ROOT / snapshot] if snapshot else []
    try:
        return cached_check(
            check,
            *args,
            cache_dir=ROOT / ".snakemake" / "parse_checks",
            extra=extra,
            **kwargs,
        )
    except InputError as err:
        raise WorkflowError(str(err)) from None


def package_inputs(wildcards):
    """Every registered target except the data package itself and the privacy
    gate (which scans it): the package is written once every processed table of
    this configuration exists, and describes exactly those tables."""
    skip = {"data/processed/datapackage.json", PRIVACY_GATE_CSV}
    return [t for t in final_targets(wildcards) if t not in skip]
