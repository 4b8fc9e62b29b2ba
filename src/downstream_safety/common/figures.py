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

from downstream_safety.paths import MATPLOTLIBRC

# The style ships inside the package (paths.MATPLOTLIBRC) so that any job, under
# any executor and from any working directory, draws with the same settings.
matplotlib.rc_file(MATPLOTLIBRC)
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import to_hex, to_rgb  # noqa: E402

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
# Diverging palette (disagree ... agree) from a colour-blind-safe orange/purple
# pair with a neutral grey centre: each side runs from its dark end to its light
# end. With 4 and 5 levels these are exactly the two end colours of each side.
_LOW = ("#B35806", "#F1A340")  # darkest, lightest of the low side
_HIGH = ("#998EC3", "#542788")  # lightest, darkest of the high side
_NEUTRAL = "#D9D9D9"
MAX_LEVELS = 11


def _ramp(start: str, end: str, n: int) -> list[str]:
    """n colours from start to end (linear in sRGB); one colour is the start."""
    if n == 1:
        return [start]
    a, b = np.array(to_rgb(start)), np.array(to_rgb(end))
    return [to_hex(a + (b - a) * t).upper() for t in np.linspace(0.0, 1.0, n)]


def diverging(k: int) -> list[str]:
    """A k-level diverging palette, 2 <= k <= 11: low side, grey centre if k is odd, high side.

    Hand-interpolated rather than sampled from a matplotlib colormap so that 4 and
    5 levels keep the exact colours every earlier figure was drawn with.
    """
    if not 2 <= k <= MAX_LEVELS:
        raise ValueError(f"a diverging palette has 2 to {MAX_LEVELS} levels, not {k}")
    side = k // 2
    low = _ramp(_LOW[0], _LOW[1], side)
    high = _ramp(_HIGH[1], _HIGH[0], side)[::-1]
    return low + ([_NEUTRAL] if k % 2 else []) + high


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
