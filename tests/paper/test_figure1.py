"""Figure 1 takes its boxes from the stages and its counts from the numbers."""

from __future__ import annotations

from downstream_safety.common.figures import save_figure
from downstream_safety.paper.figure1 import draw_study_design, fill


def test_fill_renders_numbers_and_marks_missing_ones():
    values = {"funnel__contacted": 667.0, "kappa__calibration": 0.7093}
    assert fill("{funnel__contacted} contacted", values) == "667 contacted"
    assert fill("kappa {kappa__calibration}", values) == "kappa 0.71"
    assert fill("{screen__valid} valid", values) == "n/a valid"


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def test_only_registered_stages_are_drawn():
    fig = draw_study_design(["interviews", "survey"], {"n_participants": 18.0})
    texts = _texts(fig)
    assert "Interviews" in texts and "Survey" in texts
    assert "AI incidents" not in texts and "Recruitment" not in texts
    assert any("18 participants" in t for t in texts)
    assert "subthemes to items" in texts  # the edge between the two drawn stages


def test_figure_bytes_are_stable(tmp_path):
    values = {"n_participants": 18.0, "incidents__n": 874.0, "screen__valid": 86.0}
    stages = ["interviews", "survey", "incidents", "paper"]
    a = save_figure(draw_study_design(stages, values), tmp_path / "a")
    b = save_figure(draw_study_design(stages, values), tmp_path / "b")
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.suffix


def test_without_published_numbers_the_synthesis_box_says_so():
    texts = _texts(draw_study_design(["survey", "paper"], {}, audited=False))
    assert "Synthesis" in texts and any("no claims registry" in t for t in texts)
    assert not any("claims audited" in t for t in texts)
