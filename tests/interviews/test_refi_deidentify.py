"""``repro.py deidentify --format refi_qda``: a project's coding as the CSV route's
tables, without the transcript text, giving the same counts as the project."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from lxml import etree

from downstream_safety.interviews import aggregate, refi_deidentify
from downstream_safety.interviews.sources import load_coded_interviews
from downstream_safety.paths import RAW
from downstream_safety.reliability import deidentify
from tests.interviews.helpers import paper_design
from tests.interviews.test_refi_qda_by_name import RENAMED_TO, tool_project


def _config(tmp_path: Path, files: dict) -> Path:
    cfg = {
        "instruments": {"folder": str(RAW / "instruments")},
        "interviews": {"participants": files["participants"], "codes": files["codes"]},
    }
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    return path


def _passages(project: str) -> list[str]:
    """Every source text line of the project, read with zipfile (independent of the reader)."""
    with zipfile.ZipFile(project) as zf:
        texts = [zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".txt")]
    return [ln.strip() for t in texts for ln in t.splitlines() if len(ln.strip()) > 20]


def _salt(tmp_path: Path) -> Path:
    salt = tmp_path / "salt"
    salt.write_bytes(b"k" * 32)
    return salt


@pytest.mark.parametrize("via", ["interviews", "repro"])
def test_deidentified_tables_rerun_with_the_same_counts(tmp_path, via):
    files = tool_project(tmp_path, rename=False)
    cfg = _config(tmp_path, files)
    out = tmp_path / "published"
    args = ["--salt-file", str(_salt(tmp_path)), "--config", str(cfg)]
    if via == "interviews":
        code = refi_deidentify.main([*args, files["project"], str(out)])
    else:
        code = deidentify.main(["--format", "refi_qda", *args, files["project"], str(out)])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["coded_segments.csv", "codes.csv"]
    design = paper_design()
    refi = load_coded_interviews("refi_qda", files, design)
    csv_route = load_coded_interviews(
        "csv",
        {
            "codes": out / "codes.csv",
            "segments": out / "coded_segments.csv",
            "participants": files["participants"],
        },
        design,
    )
    for fn in (
        lambda c: aggregate.subtheme_participants(c.segments, c.codebook),
        lambda c: aggregate.codes_per_rq(c.codes, c.codebook.rqs),
        lambda c: aggregate.theme_participants(c.segments, c.codes, c.codebook),
        lambda c: aggregate.participant_subtheme_matrix(c.segments, c.participants, c.codebook),
    ):
        pd.testing.assert_frame_equal(fn(refi), fn(csv_route))
    assert len(csv_route.segments) == len(refi.segments) > 100
    written = b"".join(p.read_bytes() for p in out.iterdir()).decode("utf-8")
    leaked = [t for t in _passages(files["project"]) if t in written]
    assert not leaked, leaked[:3]
    with zipfile.ZipFile(files["project"]) as zf:
        root = etree.fromstring(zf.read("project.qde"))
    names = {el.get("name") for el in root.iter() if str(el.tag).endswith("TextSource")}
    assert names and not [n for n in names if n in written]


@pytest.mark.bad_input
def test_project_that_does_not_load_writes_nothing(tmp_path, capsys):
    files = tool_project(tmp_path, rename=True)  # one code renamed: matches nothing
    out = tmp_path / "published"
    code = refi_deidentify.main(
        [
            "--salt-file",
            str(_salt(tmp_path)),
            "--config",
            str(_config(tmp_path, files)),
            files["project"],
            str(out),
        ]  # fmt: skip
    )
    assert code == 1 and not out.exists()
    err = capsys.readouterr().err
    assert "nvivo.qdpx" in err and RENAMED_TO in err and "code_map" in err and "fix:" in err
