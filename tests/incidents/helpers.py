"""Small hand-made inputs for the incident tests."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from downstream_safety.incidents.load import Taxonomy
from downstream_safety.instruments.design import design_settings, design_tables, load_design
from downstream_safety.paths import DEFAULT_AIID_SNAPSHOT, RAW

LABELS = [
    "finetune_data",
    "pretrain_data",
    "data_management",
    "data_leakage",
    "harmful_output",
    "reliability",
    "malicious_use",
    "irresponsible_use",
]

TAXONOMY = Taxonomy("RQ1", LABELS)
INCIDENTS = RAW / "incidents"
ANNOTATIONS = INCIDENTS / "annotations.csv"
ADJUDICATED = INCIDENTS / "adjudicated.csv"
CROSSWALK = INCIDENTS / "mit_crosswalk.csv"
KEYWORD_RULES = INCIDENTS / "keyword_rules.csv"


def paper_design(taxonomy_rq: str = "RQ1"):
    """The paper study's design, with the incident labels of ``taxonomy_rq``."""
    settings = design_settings({"incidents": {"taxonomy_rq": taxonomy_rq}})
    return load_design(design_tables(RAW / "instruments"), settings)


needs_snapshot = pytest.mark.skipif(
    not (DEFAULT_AIID_SNAPSHOT / "incidents.csv").is_file(),
    reason="the shared AIID snapshot is not beside the repository",
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def fake_snapshot(folder: Path, ids=(1, 2, 3), *, mit: dict[int, str] | None = None) -> Path:
    """A snapshot in the official layout with invented text (never AIID content)."""
    rows = [
        {
            "_id": f"ObjectId({i:024d})",
            "incident_id": i,
            "date": f"20{10 + i:02d}-01-0{1 + i % 9}",
            "reports": json.dumps([100 + i]),
            "Alleged deployer of AI system": json.dumps(["acme"]),
            "Alleged developer of AI system": json.dumps(["acme"]),
            "Alleged harmed or nearly harmed parties": json.dumps(["users"]),
            "description": f"Invented incident number {i}; the chatbot failed and leaked data.",
            "title": f"Invented incident {i}",
        }
        for i in ids
    ]
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(folder / "incidents.csv", index=False)
    if mit is not None:
        pd.DataFrame(
            {
                "Namespace": "MIT",
                "Incident ID": list(mit),
                "Published": "True",
                "Risk Domain": "x",
                "Risk Subdomain": list(mit.values()),
                "Entity": "AI",
                "Timing": "Post-deployment",
                "Intent": "Unintentional",
            }
        ).to_csv(folder / "classifications_MIT.csv", index=False)
    return folder
