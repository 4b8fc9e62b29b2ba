"""Load the annotation files and check them against the codebook and each other.

Every check names the file, the line numbers and the fix, because these files
are the ones a follow-up study edits by hand.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError, combine
from downstream_safety.common.tableio import read_table
from downstream_safety.incidents import schemas
from downstream_safety.incidents.labels import parse
from downstream_safety.instruments.load import load_codebook
from downstream_safety.paths import INSTRUMENTS, RAW, rel

INCIDENTS = RAW / "incidents"
ANNOTATIONS = INCIDENTS / "annotations.csv"
ADJUDICATED = INCIDENTS / "adjudicated.csv"
CROSSWALK = INCIDENTS / "mit_crosswalk.csv"
KEYWORD_RULES = INCIDENTS / "keyword_rules.csv"


def concern_ids(folder: Path = INSTRUMENTS) -> list[str]:
    """The 8 RQ1 concern subthemes, in codebook order: the only valid labels."""
    return load_codebook(folder).subthemes_of("RQ1")


def check_label_ids(df: pd.DataFrame, column: str, allowed: list[str], file: Path) -> None:
    bad_rows, bad_values = [], set()
    for idx, cell in df[column].items():
        unknown = parse(cell) - set(allowed)
        if unknown:
            bad_rows.append(idx + 2)
            bad_values |= unknown
    if bad_rows:
        raise InputError(
            rel(file),
            "unknown label id(s)",
            column=column,
            rows=bad_rows,
            values=sorted(bad_values),
            fix=f"use only the RQ1 subtheme ids of codebook_subthemes.csv: {', '.join(allowed)}",
        )
    dup_rows = [
        idx + 2
        for idx, cell in df[column].items()
        if len(parse(cell)) != len([p for p in str(cell).split(";") if p])
    ]
    if dup_rows:
        raise InputError(
            rel(file),
            "a label is listed twice in one cell",
            column=column,
            rows=dup_rows,
            fix="list each subtheme id at most once per cell",
        )


def load_annotations(path: Path = ANNOTATIONS, allowed: list[str] | None = None) -> pd.DataFrame:
    allowed = concern_ids() if allowed is None else allowed
    df = read_table(path, schemas.ANNOTATIONS)
    check_label_ids(df, "labels", allowed, path)
    key = ["incident_id", "annotator", "round"]
    dup = df.duplicated(key, keep=False)
    if dup.any():
        raise InputError(
            rel(path),
            "the same annotator labels an incident twice in one round",
            column="incident_id, annotator, round",
            rows=(df.index[dup] + 2).tolist(),
            values=sorted({f"{i}/{a}/{r}" for i, a, r in df.loc[dup, key].itertuples(index=False)}),
            fix="keep one row per incident, annotator and round (merge the labels into one cell)",
        )
    return df


def load_adjudicated(
    path: Path = ADJUDICATED,
    annotations: pd.DataFrame | None = None,
    allowed: list[str] | None = None,
    annotations_path: Path = ANNOTATIONS,
) -> pd.DataFrame:
    allowed = concern_ids() if allowed is None else allowed
    df = read_table(path, schemas.ADJUDICATED)
    check_label_ids(df, "labels", allowed, path)
    if annotations is not None:
        missing = ~df["incident_id"].isin(set(annotations["incident_id"]))
        if missing.any():
            raise InputError(
                rel(path),
                f"adjudicated incident(s) not annotated in {rel(annotations_path)}",
                column="incident_id",
                rows=(df.index[missing] + 2).tolist(),
                values=df.loc[missing, "incident_id"].tolist(),
                fix="add the annotators' rows for these incidents, or remove them here",
            )
    return df


def check_in_snapshot(df: pd.DataFrame, file: Path, snapshot_ids: set[int], snapshot: Path) -> None:
    absent = ~df["incident_id"].isin(snapshot_ids)
    if absent.any():
        raise InputError(
            rel(file),
            f"incident id(s) absent from the AIID snapshot {rel(snapshot)}",
            column="incident_id",
            rows=(df.index[absent] + 2).tolist(),
            values=sorted(set(df.loc[absent, "incident_id"].tolist())),
            fix="point incidents.aiid_snapshot at a snapshot that has these incidents, "
            "or correct the ids",
        )


def load_crosswalk(path: Path = CROSSWALK, codebook: Path = INSTRUMENTS) -> pd.DataFrame:
    """MIT subdomain -> concern subthemes; every id must be a codebook RQ1 subtheme."""
    df = read_table(path, schemas.CROSSWALK)
    check_label_ids(df, "subtheme_ids", concern_ids(codebook), path)
    return df


def load_keyword_rules(path: Path = KEYWORD_RULES, codebook: Path = INSTRUMENTS) -> pd.DataFrame:
    df = read_table(path, schemas.KEYWORD_RULES)
    check_label_ids(df, "subtheme_id", concern_ids(codebook), path)
    return df


def load_all(
    annotations: Path = ANNOTATIONS,
    adjudicated: Path = ADJUDICATED,
    snapshot: Path | None = None,
    codebook: Path = INSTRUMENTS,
    crosswalk: Path = CROSSWALK,
    keyword_rules: Path = KEYWORD_RULES,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Everything the stage checks before any job starts (used at parse time)."""
    allowed = concern_ids(codebook)
    ann = load_annotations(annotations, allowed)
    adj = load_adjudicated(adjudicated, ann, allowed, annotations)
    if snapshot is not None:
        from downstream_safety.incidents.snapshot import load_incidents

        # Only the snapshot rules read the crosswalk and the keyword rules.
        load_crosswalk(crosswalk, codebook)
        load_keyword_rules(keyword_rules, codebook)

        ids = set(load_incidents(snapshot)["incident_id"])
        problems = []
        for df, file in ((ann, annotations), (adj, adjudicated)):
            try:
                check_in_snapshot(df, file, ids, snapshot)
            except InputError as err:
                problems.append(err)
        if problems:
            raise combine(problems)
    return ann, adj
