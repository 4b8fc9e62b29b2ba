"""A follow-up study's interviews through the package, by data alone: a fourth
research question with a free-form id, 24 interviews, both input forms, the
schemas, Table 2 and both figures. Expected values are counted by hand from the
rows written here and the paper's published counts (Table 3, section 3.1)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.common.figures import plt
from downstream_safety.common.tableio import validate
from downstream_safety.instruments.design import design_tables, load_design
from downstream_safety.interviews import aggregate, schemas
from downstream_safety.interviews.figures import coding_chain_figure, rq_colours, saturation_figure
from downstream_safety.interviews.saturation import saturation_tables
from downstream_safety.interviews.sources import load_coded_interviews
from downstream_safety.interviews.table2 import build_table2
from downstream_safety.paths import RAW
from reconstruction import refi_qda_writer

SATURATION = {"batch_size": 1, "coverage": 1.0, "base_size": 4, "run_length": 2,
              "threshold": 0.05, "step": 1}  # fmt: skip


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """The paper's instruments plus RQ "Q-a" (one theme, one subtheme, two codes, one
    applied); the paper's 18 interviews plus P19-P24, of whom P19 and P24 mention it."""
    root = tmp_path_factory.mktemp("followup")
    inst = root / "instruments"
    shutil.copytree(RAW / "instruments", inst)
    with (inst / "research_questions.csv").open("a") as fh:
        fh.write("Q-a,4,Governance\n")
    with (inst / "codebook_themes.csv").open("a") as fh:
        fh.write("Q-a,oversight,Oversight,14\n")
    with (inst / "codebook_subthemes.csv").open("a") as fh:
        fh.write("Q-a,oversight,review_board,Review board sign-off,Review board,35\n")
    itv = root / "interviews"
    shutil.copytree(RAW / "interviews", itv)
    p = pd.read_csv(itv / "participants.csv", dtype=str, keep_default_na=False)
    extra = p.iloc[:6].copy()
    extra["participant_id"] = [f"P{i}" for i in range(19, 25)]
    extra["interview_order"] = [str(i) for i in range(19, 25)]
    extra["channel"] = "network"
    pd.concat([p, extra]).to_csv(itv / "participants.csv", index=False, lineterminator="\n")
    with (itv / "codes.csv").open("a") as fh:
        fh.write("qa_001,Q-a,review_board,Board approval before release\n")
        fh.write("qa_002,Q-a,review_board,Board never consulted\n")
    with (itv / "coded_segments.csv").open("a") as fh:
        fh.write("q001,P19,Q-a,qa_001,review_board,A review board signs off each release.\n")
        fh.write("q002,P24,Q-a,qa_001,review_board,Our board approves every model update.\n")
    design = load_design(design_tables(inst))
    files = {
        "participants": itv / "participants.csv",
        "codes": itv / "codes.csv",
        "segments": itv / "coded_segments.csv",
    }
    coded = load_coded_interviews("csv", files, design)
    return root, design, files, coded


def test_design_has_four_rqs_in_order(study):
    _, design, _, coded = study
    assert design.rqs == ["RQ1", "RQ2", "RQ3", "Q-a"]
    assert len(coded.participants) == 24
    assert coded.segments.loc[coded.segments["rq"] == "Q-a", "interview_order"].tolist() == [
        19,
        24,
    ]


def test_counts_with_a_fourth_rq(study):
    _, design, _, coded = study
    per_rq = aggregate.codes_per_rq(coded.codes, design.rqs)
    # 29/100/55 as published; Q-a: qa_001 applied, qa_002 never
    assert per_rq.values.tolist() == [["RQ1", 29], ["RQ2", 100], ["RQ3", 55], ["Q-a", 1]]
    subs = aggregate.subtheme_participants(coded.segments, design)
    assert subs["subtheme_id"].iloc[-1] == "review_board"
    assert subs["n_participants"].iloc[-1] == 2
    assert subs["n_participants"].iloc[:4].tolist() == [7, 5, 4, 8]  # Table 3, unchanged
    matrix = aggregate.participant_subtheme_matrix(coded.segments, coded.participants, design)
    assert matrix.shape == (24, 1 + 35)
    assert matrix.loc[matrix["review_board"] == 1, "participant_id"].tolist() == ["P19", "P24"]
    validate(matrix, schemas.matrix_schema(design.subthemes["subtheme_id"].tolist()), "m")
    validate(per_rq, schemas.codes_per_rq_schema(design), "codes_per_rq")
    validate(subs, schemas.subtheme_participants_schema(design), "subtheme_participants")


def test_saturation_with_24_interviews_and_four_rqs(study):
    _, design, _, coded = study
    curves, summary = saturation_tables(
        coded.segments, coded.participants, design.rqs, **SATURATION
    )
    validate(curves, schemas.saturation_schema(design), "saturation")
    assert curves.groupby("rq", sort=False).size().to_dict() == {
        "RQ1": 24, "RQ2": 24, "RQ3": 24, "Q-a": 24,
    }  # fmt: skip
    g = summary[summary["method"] == "guest2006"].set_index("rq")["saturation_interview"]
    # the paper's RQs saturate at interview 13; Q-a's only subtheme appears at 19
    assert g.tolist() == [13, 13, 13, 19]
    qa = curves[curves["rq"] == "Q-a"]
    assert qa["cumulative_codes"].tolist() == [0] * 18 + [1] * 6


def test_refi_qda_form_gives_the_same_tables(study, tmp_path):
    _, design, files, coded = study
    xml, members = refi_qda_writer.build_project(
        coded.codes, coded.segments, design, coded.participants["participant_id"].tolist()
    )
    project = tmp_path / "p.qdpx"
    project.write_bytes(refi_qda_writer.qdpx_bytes(xml, members))
    other = load_coded_interviews(
        "refi_qda", {"project": project, "participants": files["participants"]}, design
    )
    pd.testing.assert_frame_equal(other.segments, coded.segments)
    pd.testing.assert_frame_equal(other.codes, coded.codes)


def test_free_form_rq_ids_are_checked_against_the_design(study):
    _, design, _, _ = study
    ok = pd.DataFrame(
        {"code_id": ["k1"], "rq": ["Q-a"], "subtheme_id": ["review_board"], "code_label": ["x"]}
    )
    validate(ok, schemas.codes_schema(design), "codes.csv")
    paper = load_design(design_tables(RAW / "instruments"))
    with pytest.raises(InputError) as err:
        validate(ok, schemas.codes_schema(paper), "codes.csv")
    assert "rq" in str(err.value) and "Q-a" in str(err.value)
    col = schemas.codes_schema(design).columns["rq"]
    assert col.description == "one of RQ1, RQ2, RQ3, Q-a"


def test_table2_orders_24_participants_by_number(study):
    _, design, _, coded = study
    t = build_table2(coded.participants, design)
    assert t["participant_id"].tolist() == [f"P{i}" for i in range(1, 25)]
    validate(t, schemas.table2_schema(design), "table2.csv")


def test_rq_colours_follow_position():
    # the paper's three colours stay (Okabe-Ito blue, orange, bluish green)
    assert rq_colours(["RQ1", "RQ2", "RQ3"]) == {
        "RQ1": "#0072B2", "RQ2": "#E69F00", "RQ3": "#009E73",
    }  # fmt: skip
    # by position, not by id: a fourth gets vermillion, whatever its name
    assert rq_colours(["Q-b", "Q-a", "x", "Q-z"])["Q-z"] == "#D55E00"
    assert rq_colours(["Q-b", "Q-a"])["Q-b"] == "#0072B2"


def test_figures_draw_every_rq(study):
    _, design, _, coded = study
    curves, summary = saturation_tables(
        coded.segments, coded.participants, design.rqs, **SATURATION
    )
    fig = saturation_figure(curves, summary, design.rqs)
    try:
        assert [ax.get_title() for ax in fig.axes] == ["RQ1", "RQ2", "RQ3", "Q-a"]
        assert fig.get_size_inches().tolist() == pytest.approx([9.6, 2.4])
        assert list(fig.axes[3].get_xticks()) == list(range(1, 25, 2))
        assert fig.axes[3].lines[0].get_color() == "#D55E00"
    finally:
        plt.close(fig)
    subs = aggregate.subtheme_participants(coded.segments, design)
    example = coded.segments[coded.segments["segment_id"] == "q001"].iloc[0]
    fig = coding_chain_figure(example, coded.codes, subs, design)
    try:
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert "Theme (Q-a)" in texts and "1 codes, 2 participants" in texts
    finally:
        plt.close(fig)


def test_schema_rejects_an_rq_outside_the_design(study):
    _, design, _, _ = study
    bad = pd.DataFrame({"rq": ["Q-b"], "n_codes": [1]})
    with pytest.raises(InputError) as err:
        validate(bad, schemas.codes_per_rq_schema(design), "codes_per_rq.csv")
    assert "Q-b" in str(err.value)
