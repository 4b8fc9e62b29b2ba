"""Load the coded interviews from CSV and check every cross-reference.

The REFI-QDA reader (``refi_qda``) ends in the same two frames (codes,
segments) and goes through the same checks here, so a follow-up study's export
is held to the same rules as the CSV files and both forms give identical
aggregates. ``sources`` chooses between the two forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError, combine
from downstream_safety.common.tableio import read_table, validate
from downstream_safety.instruments.design import Design
from downstream_safety.interviews import schemas
from downstream_safety.paths import rel

SUBTHEMES_FILE = "codebook_subthemes.csv of the instrument folder (instruments.folder)"


@dataclass(frozen=True)
class CodedInterviews:
    participants: pd.DataFrame
    codes: pd.DataFrame  # schemas.codes_clean_schema
    segments: pd.DataFrame  # schemas.segments_clean_schema
    codebook: Design
    notes: tuple[str, ...] = ()  # what the reader chose (e.g. the offset convention), logged
    # Who coded each segment, when the codings say (segment_id, coder, and for a
    # REFI-QDA project source, start, end in code points); None: one coder, unnamed.
    codings: pd.DataFrame | None = None
    lengths: dict[str, int] = field(default_factory=dict)  # coded source -> code points

    def coders(self) -> list[str]:
        """The coders named by the codings (empty when they name none)."""
        if self.codings is None:
            return []
        return sorted(set(self.codings["coder"]) - {""})


def load_participants(path: Path | str, design: Design) -> pd.DataFrame:
    df = read_table(path, schemas.participants_schema(design))
    return df.sort_values("interview_order").reset_index(drop=True)


def csv_lines(df: pd.DataFrame) -> pd.Series:
    """Line numbers of a CSV's rows (header = 1)."""
    return pd.Series(df.index + 2, index=df.index)


def _rows(lines: pd.Series, mask: pd.Series) -> list[int]:
    return [int(x) for x in lines[mask].tolist()]


def check_codes(
    codes: pd.DataFrame, lines: pd.Series, file: str, codebook: Design
) -> list[InputError]:
    errors: list[InputError] = []
    subs = codebook.subthemes.set_index("subtheme_id")
    unknown = ~codes["subtheme_id"].isin(subs.index)
    if unknown.any():
        errors.append(
            InputError(
                file,
                "code(s) placed under a subtheme that is not in the codebook",
                column="subtheme_id",
                rows=_rows(lines, unknown),
                values=codes.loc[unknown, "subtheme_id"].tolist(),
                fix=f"use a subtheme_id of {SUBTHEMES_FILE} (or add the subtheme there)",
            )
        )
    n_sub = codes.groupby("code_id")["subtheme_id"].transform("nunique")
    split = n_sub > 1
    if split.any():
        errors.append(
            InputError(
                file,
                "code assigned to two or more subthemes (each code belongs to exactly one)",
                column="code_id",
                rows=_rows(lines, split),
                values=sorted(set(codes.loc[split, "code_id"])),
                fix="keep one subtheme per code; split the code into two codes if both "
                "meanings are needed",
            )
        )
    dup = codes["code_id"].duplicated(keep=False) & ~split
    if dup.any():
        errors.append(
            InputError(
                file,
                "duplicate code id",
                column="code_id",
                rows=_rows(lines, dup),
                values=sorted(set(codes.loc[dup, "code_id"])),
                fix="list each code once",
            )
        )
    known = ~unknown
    wrong_rq = known & (codes["rq"] != codes["subtheme_id"].map(subs["rq"]))
    if wrong_rq.any():
        errors.append(
            InputError(
                file,
                "code's RQ differs from the RQ of its subtheme",
                column="rq",
                rows=_rows(lines, wrong_rq),
                values=codes.loc[wrong_rq, "code_id"].tolist(),
                fix="set rq to the subtheme's rq in codebook_subthemes.csv",
            )
        )
    return errors


def check_segments(
    segments: pd.DataFrame,
    lines: pd.Series,
    file: str,
    codes: pd.DataFrame,
    participants: pd.DataFrame,
    codebook: Design,
    participants_file: str,
) -> list[InputError]:
    errors: list[InputError] = []
    dup = segments["segment_id"].duplicated(keep=False)
    if dup.any():
        errors.append(
            InputError(
                file,
                "duplicate segment id",
                column="segment_id",
                rows=_rows(lines, dup),
                values=sorted(set(segments.loc[dup, "segment_id"])),
                fix="give every coded segment its own id",
            )
        )
    missing = ~segments["participant_id"].isin(participants["participant_id"])
    if missing.any():
        errors.append(
            InputError(
                file,
                f"participant(s) not listed in {participants_file}",
                column="participant_id",
                rows=_rows(lines, missing),
                values=sorted(set(segments.loc[missing, "participant_id"])),
                fix=f"add the participant(s) to {participants_file} or correct the id",
            )
        )
    code_sub = codes.drop_duplicates("code_id").set_index("code_id")["subtheme_id"]
    unknown_code = ~segments["code_id"].isin(code_sub.index)
    if unknown_code.any():
        errors.append(
            InputError(
                file,
                "segment(s) coded with a code that is not defined",
                column="code_id",
                rows=_rows(lines, unknown_code),
                values=sorted(set(segments.loc[unknown_code, "code_id"])),
                fix="define the code (with its subtheme) in the code list, or correct the id",
            )
        )
    subs = codebook.subthemes.set_index("subtheme_id")
    # An empty subtheme follows from an undefined code (REFI-QDA), reported above.
    unknown_sub = ~segments["subtheme_id"].isin(subs.index) & (segments["subtheme_id"] != "")
    if unknown_sub.any():
        errors.append(
            InputError(
                file,
                "segment(s) placed under a subtheme that is not in the codebook",
                column="subtheme_id",
                rows=_rows(lines, unknown_sub),
                values=sorted(set(segments.loc[unknown_sub, "subtheme_id"])),
                fix=f"use a subtheme_id of {SUBTHEMES_FILE}",
            )
        )
    ok = ~unknown_code & segments["subtheme_id"].isin(subs.index)
    other = ok & (segments["subtheme_id"] != segments["code_id"].map(code_sub))
    if other.any():
        errors.append(
            InputError(
                file,
                "segment puts a code under another subtheme than the code list does "
                "(a code assigned to two subthemes)",
                column="subtheme_id",
                rows=_rows(lines, other),
                values=sorted(set(segments.loc[other, "code_id"])),
                fix="use the code's subtheme, or create a separate code for the other subtheme",
            )
        )
    wrong_rq = segments["subtheme_id"].isin(subs.index) & (
        segments["rq"] != segments["subtheme_id"].map(subs["rq"])
    )
    if wrong_rq.any():
        errors.append(
            InputError(
                file,
                "segment's RQ differs from the RQ of its subtheme",
                column="rq",
                rows=_rows(lines, wrong_rq),
                values=segments.loc[wrong_rq, "segment_id"].tolist(),
                fix="set rq to the subtheme's rq in codebook_subthemes.csv",
            )
        )
    return errors


def assemble(
    codes: pd.DataFrame,
    code_lines: pd.Series,
    codes_file: str,
    segments: pd.DataFrame,
    segment_lines: pd.Series,
    segments_file: str,
    participants: pd.DataFrame,
    participants_file: str,
    codebook: Design,
) -> CodedInterviews:
    """Check codes and segments against each other and the codebook, then normalise."""
    errors = check_codes(codes, code_lines, codes_file, codebook)
    errors += check_segments(
        segments, segment_lines, segments_file, codes, participants, codebook, participants_file
    )
    if errors:
        raise combine(errors)
    theme_of = codebook.subthemes.set_index("subtheme_id")["theme_id"]
    order_of = participants.set_index("participant_id")["interview_order"]
    seg = segments.assign(
        interview_order=segments["participant_id"].map(order_of).astype(int),
        theme_id=segments["subtheme_id"].map(theme_of),
    )
    seg_schema = schemas.segments_clean_schema(codebook)
    code_schema = schemas.codes_clean_schema(codebook)
    seg = seg[list(seg_schema.columns)]
    seg = seg.sort_values(["interview_order", "segment_id"]).reset_index(drop=True)
    counts = seg["code_id"].value_counts()
    cod = codes.assign(
        theme_id=codes["subtheme_id"].map(theme_of),
        n_segments=codes["code_id"].map(counts).fillna(0).astype(int),
    )[list(code_schema.columns)]
    cod = cod.sort_values("code_id").reset_index(drop=True)
    return CodedInterviews(
        participants,
        validate(cod, code_schema, "codes"),
        validate(seg, seg_schema, "segments"),
        codebook,
    )


def load_csv_interviews(
    codes_path: Path | str,
    segments_path: Path | str,
    participants_path: Path | str,
    codebook: Design,
) -> CodedInterviews:
    participants = load_participants(participants_path, codebook)
    codes = read_table(codes_path, schemas.codes_schema(codebook))
    segments = read_table(segments_path, schemas.segments_schema(codebook))
    coded = assemble(
        codes,
        csv_lines(codes),
        rel(codes_path),
        segments,
        csv_lines(segments),
        rel(segments_path),
        participants,
        rel(participants_path),
        codebook,
    )
    if schemas.CODER not in segments.columns:
        return coded  # one coder: the paper layout
    # The CSV form has key points, not offsets into transcripts: coders only.
    codings = segments[["segment_id", schemas.CODER]].sort_values("segment_id")
    return CodedInterviews(
        coded.participants,
        coded.codes,
        coded.segments,
        coded.codebook,
        coded.notes,
        codings.reset_index(drop=True),
    )
