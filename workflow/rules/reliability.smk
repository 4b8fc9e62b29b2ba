# Reliability and privacy rules (see CONTRIBUTING.md and docs/reliability.md).
# Runs at parse time, before any stage rule: a pinned raw input that changed
# stops the workflow; unpinned inputs are used and listed in the log and report.
from snakemake.logging import logger

from downstream_safety.reliability import manifest as raw_manifest
from downstream_safety.reliability import privacy as privacy_gate

RAW_STATUS = parse_time_check(raw_manifest.require_pinned_unchanged, ROOT)
if RAW_STATUS.unpinned:
    _unpinned = "\n    ".join(RAW_STATUS.unpinned)
    logger.warning(
        f"{len(RAW_STATUS.unpinned)} unpinned raw input(s), used as they are (not covered "
        f"by data/raw/{raw_manifest.MANIFEST_NAME}):\n    {_unpinned}"
    )

PRIVACY_DENY_LIST = config["privacy"]["deny_list"]
parse_time_check(privacy_gate.read_deny_list, ROOT / PRIVACY_DENY_LIST)
parse_time_check(
    privacy_gate.parse_allow,
    config["privacy"].get("allow"),
    ", ".join(str(f) for f in workflow.configfiles) or "config/config.yaml",
)
PRIVACY_GATE_CSV = "data/processed/reliability/privacy_gate.csv"


rule reliability_raw_manifest:
    input:
        raw=raw_manifest.raw_files(ROOT),
        manifest=[
            p
            for p in [f"data/raw/{raw_manifest.MANIFEST_NAME}"]
            if (ROOT / p).exists()
        ],
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
        scan=["data", "paper"],
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
