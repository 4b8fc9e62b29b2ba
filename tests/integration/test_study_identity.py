"""Everything a reader of a follow-up study sees describes that study, not the paper study.

Two studies run from outside folders through the module, each with its Snakemake report:
the example follow-up (examples/followup/) and a second, smaller design written here from
it (no incident strand, a chosen Figure 2 segment, a caption sentence of its own). Every
text output and the report (its front page, captions and embedded files, decoded) is
scanned for the paper study's words, and the captions are checked against the study's
config and instrument tables, read here with the csv module.
"""

from __future__ import annotations

import base64
import csv
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.integration.study_folder import run_snakemake

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "followup"
PAPER_WORDS = re.compile(
    r"Gao|2503\.19444|\b[Rr]econstructed\b|\b[Pp]ublished\b|AI [Ss]afety|AI Incident"
)
TEXT = {".csv", ".md", ".tex", ".json", ".html", ".ipynb", ".svg", ".txt"}
# The report's own data: front page, one entry per output (caption, file), the rules' code.
REPORT_PARTS = ("workflow-desc", "results", "categories", "rules", "metadata")
MINIMAL_SENTENCE = "Survey answers of the minimal design, typed by hand for this check."

pytestmark = pytest.mark.slow


def _run(dest: Path) -> None:
    snakefile = dest / "Snakefile"
    snakefile.write_text(
        snakefile.read_text().replace('"../../Snakefile"', repr(str(REPO / "Snakefile")))
    )
    for args in (["--cores", "2"], ["--cores", "1", "--report", "paper/report.html"]):
        run_snakemake(dest, *args)


def _copy(tmp_path_factory, name: str) -> Path:
    dest = tmp_path_factory.mktemp(name) / "study"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns(
        "processed", "paper", "logs", ".snakemake", "notebooks"))  # fmt: skip
    return dest


def _chosen_segment(dest: Path) -> str:
    with (dest / "data/raw/interviews/coded_segments.csv").open(encoding="utf-8") as fh:
        return sorted(r["segment_id"] for r in csv.DictReader(fh))[-1]


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> dict[str, Path]:
    followup = _copy(tmp_path_factory, "followup")
    _run(followup)
    minimal = _copy(tmp_path_factory, "minimal")
    cfg = yaml.safe_load((minimal / "config.yaml").read_text())
    cfg["study"] = {"title": "Minimal design check", "citation": None}
    cfg["provenance"]["captions"] = {"survey": MINIMAL_SENTENCE}
    cfg["incidents"] = None
    cfg["interviews"]["figure2_example"] = _chosen_segment(minimal)
    (minimal / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    _run(minimal)
    return {"followup": followup, "minimal": minimal}


def _strings(obj):
    """Every string of the report's data, with embedded text files decoded."""
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)
    elif isinstance(obj, str):
        m = re.match(r"data:([^;,]+)[^,]*;base64,(.*)", obj, re.S)
        if m is None:
            yield obj
        elif m.group(1).startswith(("text/", "application/json", "image/svg")):
            yield base64.b64decode(m.group(2)).decode("utf-8")


def _report(study: Path) -> dict:
    """The report's data parts (its bundled JavaScript libraries are not the study's)."""
    html = (study / "paper/report.html").read_text(encoding="utf-8")
    parts = {}
    for part in REPORT_PARTS:
        pattern = rf'<script id="{part}">\s*var \w+ = (.*?);\s*</script>'
        m = re.search(pattern, html, re.S)
        assert m, f"report has no {part} part: the report layout changed"
        parts[part] = json.loads(m.group(1))
    return parts


def _caption(report: dict, path: str) -> str:
    return report["results"][path]["caption"]


@pytest.mark.parametrize("name", ["followup", "minimal"])
def test_no_paper_study_words_in_outputs_or_report(studies, name):
    study = studies[name]
    values = list(_strings(yaml.safe_load((study / "config.yaml").read_text())))
    assert not [v for v in values if PAPER_WORDS.search(v)]  # so none may appear anywhere
    hits = []
    for folder in ["data/processed", "paper", "notebooks"]:
        for path in sorted((study / folder).rglob("*")):
            if path.is_file() and path.suffix in TEXT and path.name != "report.html":
                for m in PAPER_WORDS.finditer(path.read_text(encoding="utf-8")):
                    hits.append(f"{path.relative_to(study)}: {m.group()}")
    report = _report(study)
    texts = list(_strings(report))
    assert len(texts) > 50
    for text in texts:
        for m in PAPER_WORDS.finditer(text):
            hits.append(f"report: ...{text[max(0, m.start() - 60) : m.end() + 30]}...")
    assert not hits, "\n".join(hits)


@pytest.mark.parametrize("name", ["followup", "minimal"])
def test_report_has_no_restructuredtext_warnings(studies, name):
    report = _report(studies[name])
    bodies = [report["workflow-desc"]] + [r["caption"] for r in report["results"].values()]
    assert all(b.strip() for b in bodies[1:])  # every output has a caption
    for body in bodies:
        assert "System Message" not in body, body
        assert "None" not in re.sub(r"<[^>]+>", "", body), body


def test_front_page_and_summary_name_the_study(studies):
    for study in studies.values():
        title = yaml.safe_load((study / "config.yaml").read_text())["study"]["title"]
        report = _report(study)
        assert title in report["workflow-desc"]
        assert "no claims registry" in report["workflow-desc"]
        assert "paper/claims.csv" not in report["workflow-desc"]
        summary = (study / "data/processed/paper/summary.html").read_text()
        assert f"<h1>{title}: summary of the run</h1>" in summary
        package = json.loads((study / "data/processed/datapackage.json").read_text())
        assert package["title"] == f"{title}: processed data"


def test_captions_follow_the_design(studies):
    fields = list(csv.DictReader((EXAMPLE / "data/raw/instruments/participant_fields.csv")
                                 .open(encoding="utf-8")))  # fmt: skip
    summary_labels = list(dict.fromkeys(
        r["summary_label"] for r in sorted(fields, key=lambda r: r["summary_order"])
        if r["summary_order"]))  # fmt: skip
    for study in studies.values():
        report = _report(study)
        demo = _caption(report, "paper/tables/interview_demographics.csv")
        assert ", ".join(summary_labels) in demo and "degree" not in demo.lower()
        assert "Recruitment" not in demo
    minimal = _report(studies["minimal"])
    segment = _chosen_segment(studies["minimal"])
    assert segment in _caption(minimal, "paper/figures/figure2_coding_chain.pdf")
    followup = _report(studies["followup"])
    assert "most participants mention" in _caption(
        followup, "paper/figures/figure2_coding_chain.pdf"
    )
    # The strand's own sentence ends its captions, and only its captions.
    survey = _caption(minimal, "data/processed/survey/screening.csv")
    assert MINIMAL_SENTENCE in survey
    assert MINIMAL_SENTENCE not in _caption(minimal, "paper/tables/table2.csv")


def test_table3_shows_only_the_strands_that_run(studies):
    minimal = studies["minimal"]
    md = (minimal / "paper/tables/table3.md").read_text()
    assert "| # Participants | Survey score |" in md and "incidents" not in md.lower()
    tex = (minimal / "paper/tables/table3.tex").read_text()
    assert "incidents" not in tex.lower() and "rr}" in tex and "rrr}" not in tex
    caption = _caption(_report(minimal), "paper/tables/table3.csv")
    assert "incidents strand does not run" in caption
    assert not (minimal / "paper/figures/triangulation.png").exists()
    full = (studies["followup"] / "paper/tables/table3.md").read_text()
    assert "| # Participants | Survey score | # AI incidents |" in full
