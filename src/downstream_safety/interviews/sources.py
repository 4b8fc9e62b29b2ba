"""The two forms of the coded interviews (CSV tables or a REFI-QDA project):
which files a study's config names, and reading whichever form it chose.

Kept apart from ``load`` (the CSV form and the shared checks) and ``refi_qda``
(the project reader, which reuses those checks) so that neither imports the other
back.
"""

from __future__ import annotations

from collections.abc import Mapping

from downstream_safety.common.errors import InputError
from downstream_safety.instruments.design import Design, load_design
from downstream_safety.interviews.load import CodedInterviews, load_csv_interviews
from downstream_safety.interviews.refi_qda import load_qdpx_interviews

SOURCES = ("csv", "refi_qda")


def source_files(settings: Mapping) -> dict[str, str]:
    """Named input files of the interview rules, from the ``interviews`` config section."""
    files = {"participants": str(settings["participants"])}
    if settings["source"] == "refi_qda":
        # The codes table lets the project's codes be matched by name.
        files["project"] = str(settings["refi_qda_project"])
        files["codes"] = str(settings["codes"])
        if settings.get("code_map"):
            files["code_map"] = str(settings["code_map"])
        if settings.get("participant_map"):
            files["participant_map"] = str(settings["participant_map"])
    else:
        files["codes"] = str(settings["codes"])
        files["segments"] = str(settings["segments"])
    return files


def load_coded_interviews(
    source: str, files: Mapping[str, str], codebook: Design, offsets: str = "auto"
) -> CodedInterviews:
    """Read the coded interviews in the form chosen by ``interviews.source``."""
    if source == "csv":
        return load_csv_interviews(
            files["codes"], files["segments"], files["participants"], codebook
        )
    if source == "refi_qda":
        return load_qdpx_interviews(
            files["project"],
            files["participants"],
            codebook,
            files.get("codes"),
            files.get("code_map"),
            files.get("participant_map"),
            offsets,
        )
    raise InputError(
        "config/config.yaml",
        f"unknown interviews.source {source!r}",
        column="interviews.source",
        fix=f"use one of: {', '.join(SOURCES)}",
    )


def check_inputs(
    source: str,
    files: Mapping[str, str],
    design_tables: Mapping[str, str],
    design_settings: Mapping,
    figure2_example: str | None,
    offsets: str = "auto",
    kappa_threshold: float | None = None,
) -> list[str]:
    """Parse-time check: the coded interviews load cleanly and the Figure 2 example exists.

    Returns the coders the codings name, so the workflow includes the agreement rule
    only for two or more. A kappa threshold with fewer coders is refused: the study
    expects an agreement check that its data cannot give.
    """
    from downstream_safety.interviews.example import pick_example

    coded = load_coded_interviews(
        source, files, load_design(design_tables, design_settings), offsets
    )
    if figure2_example is not None:
        pick_example(coded.segments, None, figure2_example)
    coders = coded.coders()
    if kappa_threshold is not None and len(coders) < 2:
        where = files.get("project") if source == "refi_qda" else files.get("segments")
        raise InputError(
            "config/config.yaml",
            f"interviews.coder_agreement.kappa_threshold is {kappa_threshold}, but the coded "
            f"interviews ({where}) name {len(coders)} coder(s): agreement cannot be computed",
            column="interviews.coder_agreement.kappa_threshold",
            fix="give each coding its coder (a coder column in the coded segments; in a "
            "REFI-QDA project, each <Coding>'s creatingUser listed in <Users>), or set "
            "kappa_threshold: null",
        )
    if len(coders) > 2:
        # With more than two coders, the pair's names end the agreement numbers' keys.
        from downstream_safety.common.number_keys import refuse_collisions

        refi = source == "refi_qda"
        refuse_collisions(
            coders,
            file=str(files["project"] if refi else files["segments"]),
            column="<User> name" if refi else "coder",
            what="coder",
        )
    return coders
