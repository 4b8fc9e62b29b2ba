"""Every Qualtrics export in ../shared/real-exports/qualtrics/, read as it comes.

These files were written by Qualtrics (or rendered from a package's Qualtrics
datasets, see the README there). Their questions are not the paper study's, so
each test builds a small design and the mapping (``columns:``, ``values:``) for
the file. Expected respondents, counts and answers come from reading the file
with the csv module; each file is either read with those values or refused with
an error that names the file, the element and the fix.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.instruments.design import design_tables, load_design
from downstream_safety.paths import ROOT
from downstream_safety.survey.load import read_wave, wanted_columns
from downstream_safety.survey.platforms import read_export

SHARED = ROOT.parent / "shared" / "real-exports" / "qualtrics"
pytestmark = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"real exports not available ({SHARED} is absent)"
)


def _csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False, lineterminator="\n")


def small_design(folder: Path, items: dict[str, list[str]], demographics: dict[str, list[str]]):
    """A one-block study: each item on its own scale (labels given), no contexts."""
    folder.mkdir(parents=True, exist_ok=True)
    _csv(folder / "research_questions.csv", [{"rq": "Q1", "rq_order": 1, "rq_label": "Q"}],
         ["rq", "rq_order", "rq_label"])  # fmt: skip
    _csv(folder / "codebook_themes.csv",
         [{"rq": "Q1", "theme_id": "t", "theme_name": "T", "theme_order": 1}],
         ["rq", "theme_id", "theme_name", "theme_order"])  # fmt: skip
    _csv(folder / "codebook_subthemes.csv",
         [{"rq": "Q1", "theme_id": "t", "subtheme_id": "s", "subtheme_name": "S",
           "short_label": "S", "subtheme_order": 1}],
         ["rq", "theme_id", "subtheme_id", "subtheme_name", "short_label",
          "subtheme_order"])  # fmt: skip
    _csv(folder / "survey_blocks.csv",
         [{"block": "b", "block_order": 1, "figure": "fig_b", "figure_title": "B"}],
         ["block", "block_order", "figure", "figure_title"])  # fmt: skip
    scales, rows = [], []
    for i, (item, labels) in enumerate(items.items(), 1):
        sid = f"scale{i}"
        scales += [{"scale_id": sid, "code": k, "label": lab}
                   for k, lab in enumerate(labels, 1)]  # fmt: skip
        rows.append({"item_order": i, "item_id": item, "block": "b", "subtheme_id": "s",
                     "context": "", "scale_id": sid, "statement": item})  # fmt: skip
    _csv(folder / "survey_scales.csv", scales, ["scale_id", "code", "label"])
    _csv(folder / "survey_missing_labels.csv", [{"label": "", "meaning": "no answer"}],
         ["label", "meaning"])  # fmt: skip
    _csv(folder / "survey_items.csv", rows,
         ["item_order", "item_id", "block", "subtheme_id", "context", "scale_id",
          "statement"])  # fmt: skip
    _csv(folder / "survey_contexts.csv", [], ["context_id", "context_label", "context_order"])
    _csv(folder / "survey_demographics.csv",
         [{"question_id": q, "question_label": q, "option_order": k, "option_label": o}
          for q, opts in demographics.items() for k, o in enumerate(opts, 1)],
         ["question_id", "question_label", "option_order", "option_label"])  # fmt: skip
    _csv(folder / "participant_fields.csv", [],
         ["field_id", "kind", "table2_order", "table2_label", "summary_order", "summary_label",
          "option_order", "option_label"])  # fmt: skip
    settings = {"screening": [], "screening_columns": {}, "taxonomy_rq": None}
    return load_design(design_tables(folder), settings)


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def mapping(tmp: Path, pairs: dict[str, str]) -> Path:
    p = tmp / "columns.csv"
    p.write_text("export_tag,item_id\n" + "".join(f"{a},{b}\n" for a, b in pairs.items()))
    return p


LABELS5 = ["L1", "L2", "L3", "L4", "L5"]


@pytest.mark.parametrize(
    "name, header_rows, names_row, layout",
    [("qualtRics/sample.csv", 3, 0, "current export"),
     ("qualtRics/sample_legacy.csv", 2, 1, "legacy export")],
)  # fmt: skip
def test_qualtrics_sample_numeric(tmp_path, caplog, name, header_rows, names_row, layout):
    """One response, numeric values: Q1 = 2 is the second label of its scale."""
    path = SHARED / name
    rows = rows_of(path)
    first = rows[0]
    names = [
        rows[1][i] if c.startswith("V") and c[1:].isdigit() else c for i, c in enumerate(first)
    ]
    body = rows[header_rows:]
    rid = names.index("ResponseId" if "ResponseId" in names else "ResponseID")
    st, fin, q1 = names.index("Status"), names.index("Finished"), names.index("Q1")
    assert [(r[st], r[fin]) for r in body] == [("0", "1")]
    design = small_design(tmp_path / "design", {"q_mc": LABELS5}, {})
    with caplog.at_level("INFO"):
        wave = read_wave("w", path, design, fmt="qualtrics",
                         columns=mapping(tmp_path, {"Q1": "q_mc"}))  # fmt: skip
    assert wave.responses["respondent_id"].tolist() == [body[0][rid]]
    assert wave.responses["q_mc"].tolist() == [float(body[0][q1])]  # code 2 -> level 2
    assert wave.nonresponses == {"excluded_preview": 0, "excluded_unfinished": 0}
    assert layout in caplog.text and "numeric values" in caplog.text


@pytest.mark.parametrize(
    "name",
    ["QualtricsTools/Sample_Survey.csv", "QualtricsTools/Single_Answer_Matrix_Questions.csv",
     "QualtricsTools/Single_Answer_Matrix_Questions_Insights.csv"],
)  # fmt: skip
def test_test_responses_only_are_refused(tmp_path, name):
    """Every row of these exports is a Survey Test (Status 2): no respondents, refused."""
    path = SHARED / name
    rows = rows_of(path)
    legacy = rows[0][0] == "V1"
    names = rows[1] if legacy else rows[0]
    body = rows[2 if legacy else 3 :]
    st = names.index("Status")
    assert "ResponseID" in names  # 2016 and legacy exports: capital D
    assert {r[st] for r in body} == {"2"} and len(body) == 5
    design = small_design(tmp_path / "design", {"q_mc": LABELS5}, {})
    export = read_export("qualtrics", path, "w", wanted_columns(design))
    assert (export.preview, export.unfinished, len(export.frame)) == (5, 0, 0)
    assert ("legacy export" if legacy else "2016 export") in export.layout
    with pytest.raises(InputError) as err:
        read_wave("w", path, design, fmt="qualtrics")
    msg = str(err.value)
    assert path.name in msg and "no responses" in msg and "Status" in msg and "fix:" in msg
    assert "ResponseId missing" not in msg


def _excluder(name: str):
    path = SHARED / "excluder_simulated" / name
    rows = rows_of(path)
    names, body = rows[0], rows[3:]
    i = {n: names.index(n) for n in ("ResponseId", "Status", "Finished", "Browser")}
    normal = {"0", "IP Address"}
    done = {"1", "TRUE", "True"}
    resp = [r for r in body if r[i["Status"]] in normal and r[i["Finished"]] in done]
    preview = [r for r in body if r[i["Status"]] not in normal]
    unfinished = [r for r in body if r[i["Status"]] in normal and r[i["Finished"]] not in done]
    return path, i, resp, len(preview), len(unfinished)


@pytest.mark.parametrize("name", ["qualtrics_raw_as_csv.csv",
                                  "qualtrics_numeric_with_raw_header_rows.csv"])  # fmt: skip
def test_excluder_previews_and_unfinished_are_found(tmp_path, name):
    """92 responses, 2 previews, 6 unfinished, in choice text and in numeric values."""
    path, i, resp, n_preview, n_unfinished = _excluder(name)
    assert (len(resp), n_preview, n_unfinished) == (92, 2, 6)
    browsers = sorted({r[i["Browser"]] for r in resp})
    design = small_design(tmp_path / "design", {"q_unused": ["a", "b"]},
                          {"browser": browsers})  # fmt: skip
    # Browser is meta info: text even in a numeric export, so its texts are given as codes.
    values = tmp_path / "values.csv"
    values.write_text("item_id,code,label\n" + "".join(f"browser,{b},{b}\n" for b in browsers))
    export = read_export("qualtrics", path, "w", wanted_columns(design),
                         mapping(tmp_path, {"Browser": "browser"}),
                         values if "numeric" in name else None)  # fmt: skip
    assert (export.preview, export.unfinished) == (2, 6)
    got = export.frame.sort_values("respondent_id")
    want = sorted((r[i["ResponseId"]], r[i["Browser"]]) for r in resp)
    assert list(zip(got["respondent_id"], got["browser"], strict=True)) == want
    assert (
        "numeric values" in export.layout if "numeric" in name else "choice text" in export.layout
    )


def test_numeric_export_without_values_is_refused_as_numeric(tmp_path):
    """Text meta info in a numeric export without values: 'numeric export', not 'unknown label'."""
    path, i, resp, _, _ = _excluder("qualtrics_numeric_with_raw_header_rows.csv")
    browsers = sorted({r[i["Browser"]] for r in resp})
    design = small_design(tmp_path / "design", {"q_unused": ["a", "b"]}, {"browser": browsers})
    with pytest.raises(InputError) as err:
        read_export("qualtrics", path, "w", wanted_columns(design),
                    mapping(tmp_path, {"Browser": "browser"}))  # fmt: skip
    msg = str(err.value)
    assert path.name in msg and "numeric export" in msg and "browser" in msg
    assert "survey.waves[].values" in msg and "unknown label" not in msg
