"""Report captions and the front page render without reStructuredText warnings and
describe the configured study: rendered here as Snakemake renders them (Jinja2 with
``trim_blocks``/``lstrip_blocks``, then docutils), for the paper study's config, the
example follow-up's and a follow-up with strands switched off.

The params the captions use are rebuilt here from the config and from
``participant_fields.csv`` read with the csv module (not through the package)."""

from __future__ import annotations

import copy
import csv
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from docutils.core import publish_parts
from jinja2 import Environment
from snakemake.utils import validate

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "workflow" / "report"
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
FOLLOWUP = ROOT / "examples" / "followup"
# The paper study's words; a study whose config does not use them must not see them.
PAPER_WORDS = re.compile(
    r"Gao|2503\.19444|\b[Rr]econstructed\b|\b[Pp]ublished\b|AI [Ss]afety|AI Incident"
)


def _config(path: Path, **overrides) -> dict:
    cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    cfg.update(copy.deepcopy(overrides))
    validate(cfg, str(SCHEMA))  # fills the schema's defaults, as the workflow does
    return cfg


def _labels(folder: Path, part: str) -> list[str]:
    with (folder / "participant_fields.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    orders = {r["field_id"]: (int(r[f"{part}_order"]), r[f"{part}_label"] or r["field_id"])
              for r in rows if r[f"{part}_order"]}  # fmt: skip
    return [label for _, label in sorted(orders.values())]


def _on(cfg: dict, stage: str) -> bool:
    return cfg.get(stage) is not None


def _shown(name: str, cfg: dict) -> bool:
    """Whether the report of ``cfg`` has an output with this caption."""
    inc = cfg.get("incidents") or {}
    snapshot_only = {"incidents_crosswalk", "incidents_worksheet", "incidents_per_year"}
    real_only = {"incidents_real_checks", "incidents_real_figure", "incidents_cset_agreement",
                 "incidents_keyword_quality"}  # fmt: skip
    if name in snapshot_only:
        return bool(inc.get("aiid_snapshot"))
    if name in real_only:
        return bool(inc.get("real_checks"))
    if name in {"paper_claims", "paper_audit"} or name.startswith("robustness_"):
        return bool(cfg["paper"]["published_claims"]) and _on(cfg, name.split("_")[0])
    if name == "synthesis_triangulation":
        return _on(cfg, "incidents")
    stage = name.split("_")[0]
    return stage not in {"recruitment", "interviews", "survey", "incidents"} or _on(cfg, stage)


def _params(cfg: dict, root: Path) -> SimpleNamespace:
    folder = root / cfg["instruments"]["folder"]
    interviews = cfg.get("interviews") or {}
    return SimpleNamespace(
        sampling=(cfg.get("recruitment") or {}).get("sampling"),
        table2_columns=_labels(folder, "table2"),
        summary_fields=_labels(folder, "summary"),
        note=interviews.get("table2_note"),
        example=interviews.get("figure2_example"),
    )


def _render(path: Path, cfg: dict, params) -> str:
    env = Environment(trim_blocks=True, lstrip_blocks=True)  # Snakemake's report settings
    text = env.from_string(path.read_text(encoding="utf-8")).render(
        snakemake=SimpleNamespace(config=cfg, params=params)
    )
    return publish_parts(text, writer_name="html")["html_body"]


def _studies():
    off = {"incidents": None, "recruitment": None, "robustness": None}
    return {
        "paper": (_config(ROOT / "config" / "config.yaml"), ROOT),
        "followup": (_config(FOLLOWUP / "config.yaml"), FOLLOWUP),
        "followup_without_incidents": (_config(FOLLOWUP / "config.yaml", **off), FOLLOWUP),
    }


@pytest.mark.parametrize("study", ["paper", "followup", "followup_without_incidents"])
def test_captions_render_without_warnings_and_name_only_the_configured_study(study):
    cfg, root = _studies()[study]
    params = _params(cfg, root)
    rendered = {p.stem: _render(p, cfg, params) for p in sorted(REPORT.glob("*.rst"))
                if _shown(p.stem, cfg)}  # fmt: skip
    assert "workflow" in rendered and "synthesis_table3" in rendered
    for name, body in rendered.items():
        assert "System Message" not in body, (name, body)
        assert "None" not in re.sub(r"<[^>]+>", "", body), (name, body)
        if study != "paper":
            assert not PAPER_WORDS.search(body), (name, PAPER_WORDS.search(body), body)


def test_front_page_names_the_study_and_its_citation():
    cfg, root = _studies()["paper"]
    page = _render(REPORT / "workflow.rst", cfg, _params(cfg, root))
    assert "AI safety downstream-developer study" in page and "arXiv 2503.19444" in page
    assert "paper/claims.csv" in page
    cfg, root = _studies()["followup"]
    page = _render(REPORT / "workflow.rst", cfg, _params(cfg, root))
    assert cfg["study"]["title"] in page and "Replicated study" not in page
    assert "paper/claims.csv" not in page and "no claims registry" in page


def test_captions_list_the_fields_and_strands_of_the_design():
    cfg, root = _studies()["followup"]
    params = _params(cfg, root)
    # By hand from examples/followup/data/raw/instruments/participant_fields.csv.
    assert params.table2_columns == ["ML years", "Coding years", "Role", "Team", "Sector", "Tools"]
    assert params.summary_fields == ["Role", "Team size", "Sector", "Tools"]
    summary = _render(REPORT / "interviews_demographics.rst", cfg, params)
    assert "Role, Team size, Sector, Tools" in summary and "degree" not in summary.lower()
    figure2 = _render(REPORT / "interviews_figure2.rst", cfg, params)
    assert "most participants mention" in figure2
    paper, paper_root = _studies()["paper"]
    figure2 = _render(REPORT / "interviews_figure2.rst", paper, _params(paper, paper_root))
    assert "s153" in figure2 and "most participants mention" not in figure2
    cfg, root = _studies()["followup_without_incidents"]
    table3 = _render(REPORT / "synthesis_table3.rst", cfg, _params(cfg, root))
    assert "n_incidents" not in table3 and "incidents strand does not run" in table3
    assert '(<tt class="docutils literal">n_participants</tt>) and its survey score' in table3
