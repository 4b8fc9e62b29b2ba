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


@pytest.mark.slow
def test_csv_coder_column_through_the_workflow(tmp_path):
    """The CSV form with a coder column: the rule runs, presence alpha only (by hand in
    ``test_coder_agreement_sources``: 1 - (4S - 1) / (5 (4S - 5)))."""
    from tests.interviews.test_coder_agreement_sources import _alpha_by_hand, _csv_rows

    copy = W.make_copy(tmp_path / "copy")
    raw = copy / "data/raw/interviews"
    cols = ["segment_id", "participant_id", "rq", "code_id", "subtheme_id", "key_point", "coder"]
    pd.DataFrame(_csv_rows(), columns=cols).to_csv(raw / "coded_segments.csv", index=False)
    cfg_path = copy / "config/config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
    cfg["interviews"]["figure2_example"] = None
    cfg["privacy"]["raw_manifest"] = None
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    res = W.snakemake(copy, "--cores", "1", AGREEMENT, NUMBERS)
    assert res.returncode == 0, res.stderr[-3000:]
    t = pd.read_csv(copy / AGREEMENT)
    assert list(t["level"]) == ["presence"]
    assert t["alpha"].iloc[0] == pytest.approx(_alpha_by_hand())
    nums = pd.read_csv(copy / NUMBERS).set_index("key")["value"]
    assert nums["coder_alpha__presence"] == pytest.approx(_alpha_by_hand())
    assert not any(k.startswith("coder_kappa") for k in nums.index)


@pytest.mark.slow
def test_single_coder_study_has_no_agreement_rule(tmp_path):
    """The paper study (one coder): the rule is not part of the workflow at all."""
    copy = W.make_copy(tmp_path / "copy")
    res = W.snakemake(copy, "--list-rules")
    assert res.returncode == 0, res.stderr[-3000:]
    assert "interviews_numbers" in res.stdout
    assert "interviews_coder_agreement" not in res.stdout
