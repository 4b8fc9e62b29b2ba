"""Load the annotation files and check them against the codebook and each other.

Every check names the file, the line numbers and the fix, because these files
are the ones a follow-up study edits by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError, combine
from downstream_safety.common.tableio import read_table
from downstream_safety.incidents import schemas
from downstream_safety.incidents.labels import parse
from downstream_safety.instruments.design import Design
from downstream_safety.paths import rel


@dataclass(frozen=True)
class Taxonomy:
    """The incident labels: the subthemes of one research question, in codebook order."""

    rq: str
    labels: list[str]

    @classmethod
    def of(cls, design: Design) -> Taxonomy:
        return cls(design.taxonomy_rq or "", design.taxonomy)


def check_label_ids(df: pd.DataFrame, column: str, taxonomy: Taxonomy, file: Path) -> None:
    allowed = taxonomy.labels
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
            fix=f"use only the {taxonomy.rq} subtheme ids of codebook_subthemes.csv "
            f"(incidents.taxonomy_rq): {', '.join(allowed)}",
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


def load_annotations(path: Path | str, taxonomy: Taxonomy) -> pd.DataFrame:
    path = Path(path)
    df = read_table(path, schemas.annotations(taxonomy.rq))
    check_label_ids(df, "labels", taxonomy, path)
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
    path: Path | str,
    taxonomy: Taxonomy,
    annotations: pd.DataFrame | None = None,
    annotations_path: Path | str = "",
) -> pd.DataFrame:
    path = Path(path)
    df = read_table(path, schemas.adjudicated(taxonomy.rq))
    check_label_ids(df, "labels", taxonomy, path)
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


def load_crosswalk(path: Path | str, taxonomy: Taxonomy) -> pd.DataFrame:
    """MIT subdomain -> subthemes; every id must be an incident label."""
    path = Path(path)
    df = read_table(path, schemas.crosswalk(taxonomy.rq))
    check_label_ids(df, "subtheme_ids", taxonomy, path)
    return df


def load_keyword_rules(path: Path | str, taxonomy: Taxonomy) -> pd.DataFrame:
    path = Path(path)
    df = read_table(path, schemas.KEYWORD_RULES)
    check_label_ids(df, "subtheme_id", taxonomy, path)
    return df


def load_all(
    design: Design,
    annotations: Path | str,
    adjudicated: Path | str,
    snapshot: Path | None = None,
    crosswalk: Path | str | None = None,
    keyword_rules: Path | str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Everything the stage checks before any job starts (used at parse time)."""
    taxonomy = Taxonomy.of(design)
    annotations, adjudicated = Path(annotations), Path(adjudicated)
    ann = load_annotations(annotations, taxonomy)
    adj = load_adjudicated(adjudicated, taxonomy, ann, annotations)
    if snapshot is not None:
        from downstream_safety.incidents.snapshot import load_incidents

        # Only the snapshot rules read the crosswalk and the keyword rules.
        load_crosswalk(crosswalk, taxonomy)
        load_keyword_rules(keyword_rules, taxonomy)

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
