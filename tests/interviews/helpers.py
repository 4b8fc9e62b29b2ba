"""Designs and file sets for the interview tests: the paper study's, and tiny
hand-made ones with any research questions."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from downstream_safety.instruments.design import Design, design_tables, load_design
from downstream_safety.interviews.sources import load_coded_interviews
from downstream_safety.paths import RAW

INTERVIEWS = RAW / "interviews"
QDPX = INTERVIEWS / "coded_interviews.qdpx"


@cache
def paper_design() -> Design:
    return load_design(design_tables(RAW / "instruments"))


def interview_files(folder: Path = INTERVIEWS) -> dict[str, Path]:
    return {
        "participants": folder / "participants.csv",
        "codes": folder / "codes.csv",
        "segments": folder / "coded_segments.csv",
        "project": folder / "coded_interviews.qdpx",
    }


def load_paper(source: str = "csv", folder: Path = INTERVIEWS):
    return load_coded_interviews(source, interview_files(folder), paper_design())


def codebook_design(rqs: list[str], themes: list[tuple], subthemes: list[tuple]) -> Design:
    """A design with only a codebook: ``themes`` as (rq, theme_id), ``subthemes`` as
    (rq, theme_id, subtheme_id); names and orders follow the list order."""
    empty = pd.DataFrame()
    return Design(
        research_questions=pd.DataFrame(
            {"rq": rqs, "rq_order": range(1, len(rqs) + 1), "rq_label": [f"L {r}" for r in rqs]}
        ),
        themes=pd.DataFrame(
            {
                "rq": [t[0] for t in themes],
                "theme_id": [t[1] for t in themes],
                "theme_name": [t[1].upper() for t in themes],
                "theme_order": range(1, len(themes) + 1),
            }
        ),
        subthemes=pd.DataFrame(
            {
                "rq": [s[0] for s in subthemes],
                "theme_id": [s[1] for s in subthemes],
                "subtheme_id": [s[2] for s in subthemes],
                "subtheme_name": [s[2].upper() for s in subthemes],
                "short_label": [s[2] for s in subthemes],
                "subtheme_order": range(1, len(subthemes) + 1),
            }
        ),
        blocks=empty,
        items=empty,
        scales={},
        missing_labels=(),
        contexts=(),
        demographics=(),
    )
