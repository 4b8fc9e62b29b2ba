"""The workflow run on a REFI-QDA project as the QDA tools write it, through config alone.

The expected files are those the same run writes from the CSV tables.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from tests.interviews.test_refi_qda_by_name import tool_project, write_code_map
from tests.reliability import workflow_copy as W

TARGETS = [
    f"data/processed/interviews/{name}.csv"
    for name in ("subtheme_participants", "codes_per_rq", "saturation_summary")
]


def _configure(copy, tmp_path) -> None:
    project = tool_project(tmp_path / "tool")["project"]
    raw = copy / "data/raw/interviews"
    shutil.copyfile(project, raw / "nvivo.qdpx")
    write_code_map(raw / "code_map.csv")
    # The coded segments now come from the project only.
    (raw / "coded_segments.csv").unlink()
    cfg_path = copy / "config/config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
    cfg["interviews"].update(
        source="refi_qda",
        refi_qda_project="data/raw/interviews/nvivo.qdpx",
        code_map="data/raw/interviews/code_map.csv",
    )
    cfg["privacy"]["raw_manifest"] = None
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")


@pytest.mark.slow
def test_by_name_project_through_the_workflow_gives_the_csv_files(tmp_path):
    (tmp_path / "tool").mkdir()
    csv_copy = W.make_copy(tmp_path / "csv")
    qda_copy = W.make_copy(tmp_path / "qda")
    for copy in (csv_copy, qda_copy):
        cfg_path = copy / "config/config.yaml"
        cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
        cfg["privacy"]["raw_manifest"] = None
        cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    _configure(qda_copy, tmp_path)
    runs = W.snakemake_many(
        {
            name: (copy, ["--cores", "1", *TARGETS])
            for name, copy in [("csv", csv_copy), ("qda", qda_copy)]
        }  # fmt: skip
    )
    for name, res in runs.items():
        assert res.returncode == 0, f"{name}: {res.stderr[-3000:]}"
    for target in TARGETS:
        a, b = (csv_copy / target).read_bytes(), (qda_copy / target).read_bytes()
        assert a and a == b, target
