"""The robustness stage's view of the study and its settings, and the parse-time
checks of those settings that a JSON schema cannot express."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from downstream_safety.common.errors import InputError

if TYPE_CHECKING:
    from downstream_safety.instruments.design import Design, ScreeningRule

CONFIG = "config/config.yaml"


def check(cfg: dict, screening_rules: Sequence[ScreeningRule]) -> None:
    """Each choice list marks one paper choice; ids are unique; screening
    variants leave out rules that exist."""
    problems = []
    for name, options in cfg["choices"].items():
        ids = [o["id"] for o in options]
        dups = sorted({i for i in ids if ids.count(i) > 1})
        if dups:
            problems.append((f"robustness.choices.{name}", f"id used more than once: {dups}"))
        marked = [o["id"] for o in options if o.get("paper")]
        if len(marked) != 1:
            problems.append(
                (
                    f"robustness.choices.{name}",
                    f"{len(marked)} entries marked 'paper: true'; mark exactly one",
                )
            )
    known = {r.id for r in screening_rules}
    for option in cfg["choices"]["screening"]:
        unknown = sorted(set(option.get("skip", [])) - known)
        if unknown:
            problems.append(
                (
                    "robustness.choices.screening[].skip",
                    f"'{option['id']}' leaves out unknown screening rule(s) {unknown}; "
                    f"known: {sorted(known)}",
                )
            )
    if problems:
        column, problem = problems[0]
        raise InputError(
            CONFIG,
            "; ".join(p for _, p in problems),
            column=column,
            fix="correct the robustness section; every key is described in config/README.md",
        )


def stage_design(design: Design) -> dict:
    """The design as this stage's functions take it: plain values, built in each job
    from the design view its rule declares."""
    from downstream_safety.survey.load import POOLED

    return {
        "items": design.item_ids,
        "n_levels": {i: design.scale_of(i).n_levels for i in design.item_ids},
        "blocks": {b: design.items_of_block(b)["item_id"].tolist() for b in design.block_ids},
        "practice_items": {
            p: {c: design.practice_item(p, c) for c in design.context_ids} for p in design.practices
        },
        "context_pairs": [list(p) for p in design.context_pairs],
        "demographics": {q.question_id: list(q.options) for q in design.demographics},
        # The items a practice's score averages, as the survey's numbers take them.
        "score_items": {p: design.items_measuring(p) for p in design.practices},
        "rqs": design.rqs,
        "taxonomy_rq": design.taxonomy_rq,
        "taxonomy": design.taxonomy,
        "pooled_wave": POOLED,
    }


def stage_settings(config: dict) -> dict:
    """The ``robustness`` config section with the study settings its jobs also use."""
    return {
        "seed": config["seed"],
        "alpha": config["survey"]["tests"]["alpha"],
        "alternative": config["survey"]["tests"]["alternative"],
        "tests": config["survey"]["tests"],
        "saturation_params": config["interviews"]["saturation"],
        **config["robustness"],
    }
