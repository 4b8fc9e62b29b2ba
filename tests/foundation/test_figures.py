"""Figures are byte-identical when saved twice at different times."""

from __future__ import annotations

import time

from downstream_safety.common.figures import plt, save_figure


def _figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [1, 2], color=["#E69F00", "#56B4E9"])
    ax.set_title("determinism")
    return fig


def test_saving_twice_gives_identical_bytes(tmp_path):
    first = save_figure(_figure(), tmp_path / "one")
    time.sleep(1.1)  # a timestamp, if any were written, would now differ
    second = save_figure(_figure(), tmp_path / "two")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.suffix


def test_no_timestamps_or_versions_in_files(tmp_path):
    pdf, png, svg = save_figure(_figure(), tmp_path / "f")
    assert b"CreationDate" not in pdf.read_bytes()
    assert b"<dc:date>" not in svg.read_bytes()
    assert b"matplotlib version" not in png.read_bytes().lower()
