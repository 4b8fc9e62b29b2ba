"""Shared figure style and byte-stable saving.

Figures are compared byte for byte between runs, so every writer drops
timestamps and tool versions from the file metadata, and the style comes from
the package's ``common/matplotlibrc`` (Agg backend, fixed SVG hash salt, the
DejaVu Sans font that ships inside matplotlib).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import matplotlib

# The style ships inside the package so that any job, under any executor and
# from any working directory, draws with the same settings.
MATPLOTLIBRC = Path(__file__).with_name("matplotlibrc")
matplotlib.rc_file(MATPLOTLIBRC)
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from downstream_safety.common.tableio import atomic_write_bytes  # noqa: E402

# Okabe-Ito: distinguishable under the common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}
# Diverging 5-level palette (disagree ... agree) built from a colour-blind-safe
# blue/orange pair with a neutral grey centre.
DIVERGING_5 = ["#B35806", "#F1A340", "#D9D9D9", "#998EC3", "#542788"]
DIVERGING_4 = ["#B35806", "#F1A340", "#998EC3", "#542788"]

_METADATA = {
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
}


def save_figure(fig, stem: Path | str, formats=("pdf", "png", "svg")) -> list[Path]:
    """Save ``fig`` as ``stem.<fmt>`` for each format, without timestamps."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    stem = Path(stem)
    written = []
    for fmt in formats:
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata=_METADATA[fmt])
        out = stem.with_suffix(f".{fmt}")
        atomic_write_bytes(out, buf.getvalue())
        written.append(out)
    plt.close(fig)
    return written


def save_single(fig, path: Path | str) -> Path:
    """Save to exactly ``path`` (format from its suffix), for rules with one output."""
    path = Path(path)
    fmt = path.suffix.lstrip(".")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=_METADATA[fmt])
    atomic_write_bytes(path, buf.getvalue())
    plt.close(fig)
    return path
