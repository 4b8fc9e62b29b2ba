"""The robustness stage's view of the study and its settings, and the parse-time
checks of those settings that a JSON schema cannot express."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from downstream_safety.common.errors import InputError

if TYPE_CHECKING:
    from downstream_safety.instruments.design import Design, ScreeningRule

CONFIG = "config/config.yaml"
# Agreement definitions with one value per round (columns of incidents/agreement.csv).
ROUND_STATISTICS = ("kappa", "kappa_label_mean", "alpha_masi")


def check(
    cfg: dict, screening_rules: Sequence[ScreeningRule], survey_tests: dict | None = None
) -> None:
    """Each choice list marks one study choice (``paper: true``) and the marked
    test is the survey's own; ids are unique; screening variants leave out rules
    that exist; agreement levels and claim links are unambiguous. ``survey_tests``
    is the survey's ``tests`` settings, None when the survey does not run."""
    problems = []
    marked_test = [o for o in cfg["choices"]["test"] if o.get("paper")]
    if survey_tests is not None and len(marked_test) == 1:
        t = marked_test[0]
        own = {"test": "wilcoxon", "zero_method": survey_tests["zero_method"],
               "method": survey_tests["method"]}  # fmt: skip
        got = {"test": t["test"], "zero_method": t.get("zero_method", "wilcox"),
               "method": t.get("method", "approx")}  # fmt: skip
        if got != own:
            problems.append(
                (
                    "robustness.choices.test",
                    f"the test marked 'paper: true' ({t['id']}: {got}) is not the survey's "
                    f"own test (survey.tests: {own}); its conclusions would not be the "
                    "survey's",
                )
            )
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
    marked_agreement = [o["id"] for o in cfg["choices"]["agreement"] if o.get("paper")]
    if marked_agreement and marked_agreement[0] not in ROUND_STATISTICS:
        problems.append(
            (
                "robustness.choices.agreement",
                f"the definition marked 'paper: true' ({marked_agreement[0]}) gives one value "
                f"per label, not per round; mark one of {list(ROUND_STATISTICS)}",
            )
        )
    labels = [lv["label"] for lv in cfg["agreement_levels"]]
    bounds = [lv["from"] for lv in cfg["agreement_levels"]]
    if len(set(labels)) != len(labels) or len(set(bounds)) != len(bounds):
        problems.append(
            ("robustness.agreement_levels", "every level needs its own label and lower bound")
        )
    ids = [c["conclusion_id"] for c in cfg["claims"]]
    dups = sorted({i for i in ids if ids.count(i) > 1})
    if dups:
        problems.append(("robustness.claims", f"conclusion id(s) listed more than once: {dups}"))
    known = {r.id for r in screening_rules}
    # Without the survey (survey_tests None) the screening choices are not used.
    for option in cfg["choices"]["screening"] if survey_tests is not None else []:
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


def _practice_items(design: Design) -> dict[str, dict[str, str]]:
    """practice -> context -> item id, for the contexts the practice was asked in."""
    out = {}
    for p in design.practices:
        asked = {c: design.practice_item(p, c) for c in design.context_ids}
        out[p] = {c: i for c, i in asked.items() if i is not None}
    return out


def stage_design(design: Design, ranking_statistics: Sequence[str] = ("mean",)) -> dict:
    """The design as this stage's functions take it: plain values, built in each job
    from the design view its rule declares; ``rankings`` lists every ranking the design
    allows (conclusions.ranking_entries)."""
    from downstream_safety.robustness.conclusions import ranking_entries
    from downstream_safety.survey.load import POOLED

    contextual = design.contextual_items
    blocks = {b: design.items_of_block(b)["item_id"].tolist() for b in design.block_ids}
    practice_blocks = {
        b: list(dict.fromkeys(contextual.loc[contextual["block"] == b, "subtheme_id"]))
        for b in design.block_ids
    }
    return {
        "rankings": ranking_entries(blocks, practice_blocks, list(ranking_statistics)),
        "items": design.item_ids,
        "n_levels": {i: design.scale_of(i).n_levels for i in design.item_ids},
        "blocks": blocks,
        # block -> the practices it asks once per context (their practice scores rank)
        "practice_blocks": practice_blocks,
        "practice_items": _practice_items(design),
        "context_pairs": [list(p) for p in design.context_pairs],
        "demographics": {q.question_id: list(q.options) for q in design.demographics},
        # The items a practice's score averages, as the survey's numbers take them.
        "score_items": {p: design.items_measuring(p) for p in design.practices},
        "rqs": design.rqs,
        "taxonomy_rq": design.taxonomy_rq,
        "taxonomy": design.taxonomy,
        "pooled_wave": POOLED,
    }


# The strands whose results the stage draws conclusions from.
STRANDS = ("survey", "interviews", "incidents")


def strands(config: dict) -> dict[str, bool]:
    """Which strands run (a strand's config block is null when it does not)."""
    return {s: config.get(s) is not None for s in STRANDS}


def stage_settings(config: dict) -> dict:
    """The ``robustness`` config section with the study settings its jobs also use;
    the settings of a strand that does not run are None."""
    survey = config.get("survey")
    interviews = config.get("interviews")
    return {
        "seed": config["seed"],
        "strands": strands(config),
        "alpha": survey["tests"]["alpha"] if survey else None,
        "alternative": survey["tests"]["alternative"] if survey else None,
        "tests": survey["tests"] if survey else None,
        "saturation_params": interviews["saturation"] if interviews else None,
        **config["robustness"],
    }
