# Reliability and privacy rules (see CONTRIBUTING.md and docs/reliability.md).
# Runs at parse time, before any stage rule: a pinned raw input that changed
# stops the workflow; unpinned inputs are used and listed in the log and report.
from snakemake.logging import logger

from downstream_safety.common.errors import InputError
from downstream_safety.reliability import manifest as raw_manifest
from downstream_safety.reliability import privacy as privacy_gate

RAW_MANIFEST = config["privacy"]["raw_manifest"]
# The raw inputs: every file the config names (folders expanded), plus every
# file the manifest pins.
RAW_INPUTS = raw_manifest.named_inputs(config)
try:  # hashing the inputs is fast; not cached so that any edit is seen
    RAW_STATUS = raw_manifest.require_pinned_unchanged(RAW_MANIFEST, RAW_INPUTS)
except InputError as err:
    raise WorkflowError(str(err)) from None
if RAW_STATUS.unpinned:
    _unpinned = "\n    ".join(RAW_STATUS.unpinned)
    _why = (
        f"not covered by {RAW_MANIFEST}"
        if RAW_MANIFEST
        else "privacy.raw_manifest is null"
    )
    logger.warning(
        f"{len(RAW_STATUS.unpinned)} unpinned raw input(s), used as they are ({_why}):"
        f"\n    {_unpinned}"
    )

PRIVACY_DENY_LIST = config["privacy"]["deny_list"]
parse_time_check(privacy_gate.read_deny_list, Path(PRIVACY_DENY_LIST))
parse_time_check(privacy_gate.parse_allow, config["privacy"].get("allow"), CONFIG_FILES)
PRIVACY_GATE_CSV = "data/processed/reliability/privacy_gate.csv"


rule reliability_raw_manifest:
    input:
        raw=sorted(set(RAW_INPUTS) | set(RAW_STATUS.actual)),
        manifest=[RAW_MANIFEST] if RAW_MANIFEST and Path(RAW_MANIFEST).exists() else [],
    output:
        table=report(
            "data/processed/reliability/raw_manifest.csv",
            caption="../report/reliability_manifest.rst",
            category="Reliability",
        ),
    log:
        "logs/reliability/raw_manifest.log",
    conda:
        ENV
    params:
        named=RAW_INPUTS,
    script:
        "../scripts/reliability_manifest.py"


rule reliability_privacy_gate:
    input:
        # every other registered target, so the gate scans the finished outputs
        targets=lambda wc: [t for t in final_targets(wc) if t != PRIVACY_GATE_CSV],
        deny_list=PRIVACY_DENY_LIST,
    output:
        table=report(
            PRIVACY_GATE_CSV,
            caption="../report/reliability_privacy.rst",
            category="Reliability",
        ),
    log:
        "logs/reliability/privacy_gate.log",
    conda:
        ENV
    params:
        scan=privacy_scan_folders,
        allow=config["privacy"].get("allow", []),
    script:
        "../scripts/reliability_privacy_gate.py"


register_targets(
    "reliability",
    [
        rules.reliability_raw_manifest.output.table,
        rules.reliability_privacy_gate.output.table,
    ],
)
