"""The bootstrap quantities of a run, built from the rule's declared inputs.

Chunk jobs and the gather job build the same list from the same inputs, so
column ``j`` of every chunk's resample matrix is the same quantity.
"""

from __future__ import annotations

import numpy as np

from downstream_safety.common.tableio import read_table
from downstream_safety.incidents.agreement import pair_frame, round_groups
from downstream_safety.incidents.labels import indicator, indicator_frame
from downstream_safety.incidents.load import Taxonomy, load_adjudicated, load_annotations
from downstream_safety.instruments.design import Design
from downstream_safety.robustness.bootstrap import (
    Quantity,
    incident_quantities,
    kappa_quantities,
    survey_quantities,
)
from downstream_safety.robustness.screening import kept
from downstream_safety.survey import schemas as survey_schemas


def all_quantities(inp, design: dict, cfg: dict, study: Design) -> list[Quantity]:
    """The survey's quantities when the survey runs, then the incidents' (shares
    and per-round kappas) when the incident strand runs."""
    q: list[Quantity] = []
    if cfg["strands"]["survey"]:
        responses = read_table(inp.responses, survey_schemas.responses_schema(study))
        valid = kept(responses, study.screening)
        q += survey_quantities(
            valid,
            items=design["items"],
            n_levels=design["n_levels"],
            practice_items=design["practice_items"],
            context_pairs=[tuple(p) for p in design["context_pairs"]],
            demographics=design["demographics"],
            settings=cfg["tests"],
            score_items=design["score_items"],
        )
    if cfg["strands"]["incidents"]:
        q += _incident_quantities(inp, study)
    return q


def _incident_quantities(inp, study: Design) -> list[Quantity]:
    taxonomy = Taxonomy.of(study)
    labels = taxonomy.labels
    ann = load_annotations(inp.annotations, taxonomy)
    adj = load_adjudicated(inp.adjudicated, taxonomy, ann, inp.annotations)
    q = incident_quantities(indicator_frame(adj, labels).astype(bool))
    pairs = []
    for name, sub in round_groups(ann):
        frame, _ = pair_frame(sub)
        first = indicator(frame["first"], labels).astype(bool)
        second = indicator(frame["second"], labels).astype(bool)
        pairs.append((name, np.asarray(first), np.asarray(second)))
    return q + kappa_quantities(pairs)
