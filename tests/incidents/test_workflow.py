"""The stage's Snakemake rules on the shared real snapshot, in a clean copy."""

from __future__ import annotations

import pandas as pd
import pytest

from downstream_safety.paths import DEFAULT_AIID_SNAPSHOT
from tests.foundation.helpers import copy_workflow, run, tool
from tests.incidents.helpers import needs_snapshot

TARGETS = [
    "data/processed/incidents/preannotation_worksheet.csv",
    "data/processed/incidents/crosswalk_agreement.csv",
    "paper/figures/incidents_per_year.png",
    "data/processed/incidents/numbers.csv",
]


@needs_snapshot
@pytest.mark.snapshot
@pytest.mark.slow
def test_snapshot_outputs_in_a_clean_copy(tmp_path):
    work = copy_workflow(tmp_path / "repo")
    config = f'incidents={{"aiid_snapshot": "{DEFAULT_AIID_SNAPSHOT}"}}'
    res = run([tool("snakemake"), "--cores", "2", *TARGETS, "--config", config], cwd=work)
    assert res.returncode == 0, (res.stdout + res.stderr)[-4000:]
    sheet = pd.read_csv(work / TARGETS[0], keep_default_na=False)
    assert len(sheet) == 115
    numbers = pd.read_csv(work / TARGETS[3]).set_index("key")["value"]
    assert numbers["incidents__n"] == 874
    assert round(numbers["kappa__calibration"], 2) == 0.71
