# Helpers shared by every stage: config validation, the study design, the target
# registry, stage switches and parse-time validation of user tables.
#
# Files the workflow ships (schemas, captions, notebooks, the manuscript
# template, the figure style) are found relative to this file; inputs and
# outputs resolve from the working directory, so the workflow also runs as a
# Snakemake module from a study's own folder.
import sys
from pathlib import Path

from snakemake.utils import validate

WORKFLOW_ROOT = Path(workflow.current_basedir).resolve().parents[1]

try:  # the environment installs the package; a bare checkout falls back to src/
    import downstream_safety  # noqa: F401
except ImportError:
    sys.path.insert(0, str(WORKFLOW_ROOT / "src"))

from downstream_safety.common.jobenv import configure  # noqa: E402

configure(WORKFLOW_ROOT)


from downstream_safety.common.config_check import (
    ConfigError,
    validate_config,
)  # noqa: E402
from downstream_safety.common.errors import InputError  # noqa: E402
from downstream_safety.common.parsecache import cached_check, config_paths  # noqa: E402
from downstream_safety.instruments import design as study_design  # noqa: E402

CONFIG_FILES = ", ".join(str(f) for f in workflow.configfiles) or "config/config.yaml"

try:
    validate_config(
        config,
        WORKFLOW_ROOT / "workflow" / "schemas" / "config.schema.yaml",
        validate,
        CONFIG_FILES,
    )
except ConfigError as err:
    raise WorkflowError(str(err)) from None

ENV = "../envs/replication.yaml"

# Each stage registers its final targets here; rule all asks for all of them.
TARGETS = {}


def register_targets(stage, paths):
    TARGETS.setdefault(stage, []).extend(str(p) for p in paths)


def final_targets(wildcards):
    return sorted({p for paths in TARGETS.values() for p in paths})


def stage_on(stage):
    """A stage runs unless its config key is null (a study without that strand)."""
    return config.get(stage) is not None


# Every input file or folder the config names: what a cached check's key covers.
CONFIG_PATHS = config_paths(config)


def parse_time_check(check, *args, **kwargs):
    """Run a validation at parse time; stop with the readable message on bad input.

    A check that succeeded before on byte-identical inputs, config and code is
    not repeated (see downstream_safety.common.parsecache).
    """
    try:
        return cached_check(
            check,
            *args,
            cache_dir=Path(".snakemake") / "parse_checks",
            extra=CONFIG_PATHS,
            **kwargs,
        )
    except InputError as err:
        raise WorkflowError(str(err)) from None


# The study design: instrument tables plus the design settings of the config,
# checked once here, before any job starts (DESIGN). Jobs get the design from a
# design view (rules in instruments.smk): a small validated file holding only
# the tables and settings one group of jobs uses. A rule declares its group's
# view as its ``design`` input, e.g. ``design=DESIGN_VIEWS["survey"]``, and its
# job builds the design with downstream_safety.instruments.design.from_job(snakemake).
# Editing an instrument table then reruns only the jobs whose view holds it.
INSTRUMENTS = config["instruments"]["folder"]
DESIGN_TABLE_FILES = study_design.design_tables(INSTRUMENTS)
DESIGN_SETTINGS = study_design.design_settings(config)
DESIGN = parse_time_check(
    study_design.load_design,
    DESIGN_TABLE_FILES,
    DESIGN_SETTINGS,
    config_file=CONFIG_FILES,
)
DESIGN_VIEW_DIR = "data/processed/instruments/design"
DESIGN_VIEWS = {v: f"{DESIGN_VIEW_DIR}/{v}.json" for v in study_design.VIEWS}
# Compatibility: ``**DESIGN_INPUTS`` (with ``design=DESIGN_SETTINGS`` in params,
# now unused) gives a rule the whole design, so its job reruns whenever any
# instrument table changes. Prefer the stage view: design=DESIGN_VIEWS[<view>].
DESIGN_INPUTS = {"design": DESIGN_VIEWS["full"]}


def participant_labels(part):
    """Labels of the participant fields shown in Table 2 (``part="table2"``) or in
    its summary (``"summary"``), in their order: what the captions list."""
    shown = [
        f for f in DESIGN.participant_fields if getattr(f, f"{part}_order") is not None
    ]
    shown.sort(key=lambda f: getattr(f, f"{part}_order"))
    return [getattr(f, f"{part}_label") or f.field_id for f in shown]


# Written last: the data package describes every other output, and the privacy
# gate scans the package too.
LAST_OUTPUTS = {
    "data/processed/datapackage.json",
    "data/processed/reliability/privacy_gate.csv",
}


def package_inputs(wildcards):
    """Every registered target except the data package itself and the privacy
    gate (which scans it): the package is written once every processed table of
    this configuration exists, and describes exactly those tables."""
    return [t for t in final_targets(wildcards) if t not in LAST_OUTPUTS]


def stage_inputs(inputs_by_stage, *stages):
    """Named inputs of the stages among ``stages`` that run."""
    out = {}
    for stage in stages:
        if stage_on(stage):
            out.update(inputs_by_stage[stage])
    return out


def privacy_scan_folders(wildcards):
    """Top-level folders of the outputs, leaving out those that hold only
    run-specific files (executed notebooks), which the gate does not judge."""
    from downstream_safety.paper.verify import is_run_specific

    return sorted(
        {t.split("/", 1)[0] for t in final_targets(wildcards) if not is_run_specific(t)}
    )


def privacy_scan_inputs(wildcards):
    """Everything the gate will read: the targets it waits for, and the files
    already in the scanned folders (raw data, manuscript sources, earlier
    outputs) that no rule of this configuration writes."""
    import os

    from downstream_safety.paper.verify import is_run_specific

    targets = [t for t in final_targets(wildcards) if t != PRIVACY_GATE_CSV]
    written = {str(f) for r in workflow.rules for f in r.output if "{" not in str(f)}
    present = []
    for folder in privacy_scan_folders(wildcards):
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                f = Path(dirpath, name).as_posix()
                if (
                    not name.startswith(".")
                    and f not in written
                    and not is_run_specific(f)
                ):
                    present.append(f)
    return sorted(set(targets) | set(present))
