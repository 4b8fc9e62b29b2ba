"""Publishable coded interviews from a REFI-QDA project whose transcripts may not be shared.

    python3 repro.py deidentify --format refi_qda --salt-file ~/secrets/study.salt \\
        private/project.qdpx data/raw/interviews/

The project stays outside the repository (or in its git-ignored ``private/``).
It is read exactly as the interview stage reads it (``interviews.*`` settings of
the config: participants, codes, ``code_map``, ``participant_map``, ``offsets``),
with every check, and the CSV route's two tables are written into the output
folder: ``codes.csv`` and ``coded_segments.csv``. The segments keep their ids,
participants, codes and subthemes; the transcript text is not written (each
``key_point`` says the passage is withheld), and neither are the sources' names.
Set ``interviews.source: csv`` and the published package reruns from these
tables with the same counts. Both tables pass the privacy gate before either is
written, and nothing is written when anything fails.

``--salt-file`` is accepted for the common ``deidentify`` command line; the
interview tables need no keyed pseudonyms (participant ids are those of
``participants.csv``, which is published already).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import yaml

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import to_csv_text, validate
from downstream_safety.instruments.design import design_settings, design_tables, load_design
from downstream_safety.interviews import schemas
from downstream_safety.interviews.refi.offsets import CONVENTIONS
from downstream_safety.interviews.refi_qda import load_qdpx_interviews
from downstream_safety.paths import rel

WITHHELD = "(passage withheld: the transcripts are not published)"
DEFAULTS = {
    "participants": "data/raw/interviews/participants.csv",
    "codes": "data/raw/interviews/codes.csv",
    "code_map": None,
    "participant_map": None,
    "offsets": "auto",
}
OUTPUTS = ("codes.csv", "coded_segments.csv")


def tables(coded) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The CSV route's codes and coded segments, without the transcript text."""
    design = coded.codebook
    codes = coded.codes[["code_id", "rq", "subtheme_id", "code_label"]]
    segs = coded.segments.assign(key_point=WITHHELD)[
        ["segment_id", "participant_id", "rq", "code_id", "subtheme_id", "key_point"]
    ]
    return (
        validate(codes.reset_index(drop=True), schemas.codes_schema(design), "codes"),
        validate(segs.reset_index(drop=True), schemas.segments_schema(design), "coded_segments"),
    )


def deidentify(project: Path, out_dir: Path, config: dict, overrides: dict) -> tuple[int, int]:
    """Write the two tables into ``out_dir``; returns (codes, segments) written."""
    from downstream_safety.common.tableio import atomic_write_bytes
    from downstream_safety.reliability.deidentify import scan_privacy

    settings = {**DEFAULTS, **(config.get("interviews") or {})}
    settings.update({k: v for k, v in overrides.items() if v is not None})
    design = load_design(design_tables(config["instruments"]["folder"]), design_settings(config))
    coded = load_qdpx_interviews(
        project,
        settings["participants"],
        design,
        settings["codes"],
        settings["code_map"],
        settings["participant_map"],
        settings["offsets"],
    )
    codes, segs = tables(coded)
    blobs = {
        out_dir / "codes.csv": to_csv_text(codes).encode("utf-8"),
        out_dir / "coded_segments.csv": to_csv_text(segs).encode("utf-8"),
    }
    for path, data in blobs.items():  # all scanned before any is written
        scan_privacy(rel(path), data, config)
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, data in blobs.items():
        atomic_write_bytes(path, data)
    return len(codes), len(segs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Write the CSV route's coded-interview tables from a REFI-QDA project, "
        "without the transcript text."
    )
    ap.add_argument("--salt-file", type=Path, help="accepted; the interview tables need no salt")
    ap.add_argument("--config", type=Path, default=Path("config/config.yaml"))
    ap.add_argument("--participants", help="participants.csv (default: interviews.participants)")
    ap.add_argument("--codes", help="the codes table (default: interviews.codes)")
    ap.add_argument("--code-map", help="qda_path,code_id CSV (default: interviews.code_map)")
    ap.add_argument(
        "--participant-map",
        help="source_name,participant_id CSV (default: interviews.participant_map)",
    )
    ap.add_argument("--offsets", choices=CONVENTIONS, help="default: interviews.offsets")
    ap.add_argument("export", type=Path, help="the .qdpx project, kept outside the repository")
    ap.add_argument("output", type=Path, help="folder for codes.csv and coded_segments.csv")
    args = ap.parse_args(argv)
    if args.output.suffix.lower() in {".csv", ".qdpx"}:
        ap.error("the output is a folder (codes.csv and coded_segments.csv are written into it)")
    if args.export.resolve().parent == args.output.resolve() and args.export.suffix == ".qdpx":
        print(
            f"note: {args.export} lies in the output folder; keep the project outside the "
            "repository",
            file=sys.stderr,
        )
    try:
        config = yaml.safe_load(args.config.read_text(encoding="utf-8")) or {}
        n_codes, n_segs = deidentify(
            args.export,
            args.output,
            config,
            {
                "participants": args.participants,
                "codes": args.codes,
                "code_map": args.code_map,
                "participant_map": args.participant_map,
                "offsets": args.offsets,
            },
        )
    except InputError as err:
        print(err, file=sys.stderr)
        return 1
    print(
        f"wrote {args.output / 'codes.csv'} ({n_codes} codes) and "
        f"{args.output / 'coded_segments.csv'} ({n_segs} segments, transcript text withheld); "
        "set interviews.source: csv to run from them"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
