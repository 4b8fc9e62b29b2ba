"""The workflow on a two-coder REFI-QDA project (by-name convention), through config alone.

The project and its hand-computed character tables: ``coder_projects`` and
``test_coder_agreement_sources`` (C1 pooled kappa 804/1353, subtheme T 1298/1847).
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from tests.interviews import coder_projects as CP
from tests.reliability import workflow_copy as W

AGREEMENT = "data/processed/interviews/coder_agreement.csv"
NUMBERS = "data/processed/interviews/numbers.csv"


def _configure(copy, threshold) -> None:
    CP.write_two_coder_project(copy / "data/raw/interviews/two_coders.qdpx")
    cfg_path = copy / "config/config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
    cfg["interviews"].update(
        source="refi_qda",
        refi_qda_project="data/raw/interviews/two_coders.qdpx",
        figure2_example=None,
        coder_agreement={"kappa_threshold": threshold},
    )
    cfg["privacy"]["raw_manifest"] = None
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")


@pytest.mark.slow
def test_two_coder_project_gives_kappa_per_code_by_hand(tmp_path):
    copy = W.make_copy(tmp_path / "copy")
    _configure(copy, 0.65)
    res = W.snakemake(copy, "--cores", "1", AGREEMENT, NUMBERS)
    assert res.returncode == 0, res.stderr[-3000:]
    _, code, sub, _ = CP.chosen()
    t = pd.read_csv(copy / AGREEMENT, dtype={"unit": str, "source": str})
    pooled = t[t["source"] == "(all sources)"].set_index(["level", "unit"])
    assert pooled.loc[("code", code["C1"]), "kappa"] == pytest.approx(804 / 1353)
    assert pooled.loc[("code", code["C2"]), "kappa"] == 1.0
    assert pooled.loc[("code", code["C3"]), "kappa"] == 1.0
    assert pooled.loc[("subtheme", sub["T"]), "kappa"] == pytest.approx(1298 / 1847)
    assert str(pooled.loc[("code", code["C1"]), "meets_threshold"]) == "False"
    assert str(pooled.loc[("subtheme", sub["T"]), "meets_threshold"]) == "True"
    nums = pd.read_csv(copy / NUMBERS).set_index("key")["value"]
    assert nums[f"coder_kappa_code__{code['C1']}"] == pytest.approx(804 / 1353)
    assert nums[f"coder_kappa__{sub['T']}"] == pytest.approx(1298 / 1847)
    assert "coder_alpha__presence" in nums.index
    # The participants per subtheme count each participant once over both coders.
    subs = pd.read_csv(copy / "data/processed/interviews/subtheme_participants.csv")
    assert subs.set_index("subtheme_id")["n_participants"][sub["T"]] == 2
