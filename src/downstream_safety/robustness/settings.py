"""Parse-time checks of the robustness settings that a JSON schema cannot express."""

from __future__ import annotations

from downstream_safety.common.errors import InputError

CONFIG = "config/config.yaml"


def check(cfg: dict, screening_rules: list[dict]) -> None:
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
    known = {r["id"] for r in screening_rules}
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
