"""What every platform reader shares: decoding the file, the wave's mapping files
(``columns:``, ``values:``), answer codes and the frame handed to the wave loader.

A reader keeps only the columns the design uses (an allow-list) as soon as the
file is parsed, so no check can echo a value of any other column.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError, combine
from downstream_safety.common.tableio import read_csv_text
from downstream_safety.paths import rel

ID_COLUMN = "respondent_id"
VALUES_KEY = "survey.waves[].values"
COLUMNS_KEY = "survey.waves[].columns"
_INTEGER = re.compile(r"[+-]?\d+")


@dataclass(frozen=True)
class Wanted:
    """The columns of a wave the design uses, with the answers each may hold.

    ``accepted``: every label a column may hold (missing labels included);
    ``positions``: the labels that answer codes 1..k stand for, in order;
    ``scale``: the scale id of each item (a ``values:`` row may key by scale).
    """

    columns: list[str]
    accepted: dict[str, tuple[str, ...]]
    positions: dict[str, tuple[str, ...]]
    scale: dict[str, str] = field(default_factory=dict)


@dataclass
class Export:
    """A platform export reduced to the plain wave's columns, answers as labels."""

    frame: pd.DataFrame  # respondents only; index = the row's line in the file (header = 1)
    preview: int  # previews, tests, spam
    unfinished: int  # responses not finished (that are not previews)
    dropped_columns: list[str]  # names only; their values are gone
    layout: str  # what the reader found, in the platform's own terms (for the log)


def wave_problem(wave: str, problem: str) -> str:
    return f"survey wave '{wave}': {problem}"


def decode_text(path: Path) -> tuple[str, str]:
    """The file's text and its encoding, detected from the BOM rather than assumed.

    Qualtrics writes TSV as UTF-16 with a BOM and CSV as UTF-8 (with a BOM in
    some exporters); LimeSurvey writes UTF-8 with a BOM. A file without a BOM
    must be UTF-8.
    """
    file = rel(path)
    if not path.exists():
        raise InputError(file, "file does not exist", fix="check the path in config/config.yaml")
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            file,
            f"bytes are not valid {encoding.upper()} (byte {exc.start})",
            rows=[raw[: exc.start].count(b"\n") + 1],
            fix="export the file again as UTF-8 CSV (or the platform's UTF-16 TSV with its BOM)",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def delimiter_of(first_line: str, allowed: str = ",\t;") -> str:
    """The header row's delimiter: csv.Sniffer over the first line, restricted to ``allowed``."""
    try:
        return csv.Sniffer().sniff(first_line, delimiters=allowed).delimiter
    except csv.Error:
        counts = {d: first_line.count(d) for d in allowed}
        return max(counts, key=counts.get) if any(counts.values()) else allowed[0]


def read_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Rows with the line each starts on (a quoted cell may span lines); blank rows left out."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out, start = [], 1
    for row in reader:
        if any(cell.strip() for cell in row):
            out.append((start, row))
        start = reader.line_num + 1
    return out


def header_error(file: str, problem: str, missing: list[str], fix: str, row: int = 1):
    """Columns missing from the row of the file that holds the column names."""
    return InputError(file, problem, column=", ".join(missing), rows=[row], fix=fix)


def flag(file: str, problem: str, df: pd.DataFrame, mask: pd.Series, column: str, fix: str):
    """An error naming the lines and values of ``column`` where ``mask`` holds (header = 1)."""
    return InputError(
        file,
        problem,
        column=column,
        rows=(df.index[mask] + 2).tolist(),
        values=sorted(set(df.loc[mask, column])),
        fix=fix,
    )


def read_mapping(path: Path | str | None, wanted: Wanted, wave: str) -> dict[str, str]:
    """export tag -> column of the plain format, from the wave's ``columns`` file."""
    if path is None:
        return {}
    file = rel(Path(path))
    df = read_csv_text(path, required=["export_tag", "item_id"])
    df = df.apply(lambda c: c.str.strip())
    problems = []
    unknown = ~df["item_id"].isin(wanted.columns)
    if unknown.any():
        problems.append(
            flag(
                file,
                wave_problem(wave, "mapping names column(s) the design does not have"),
                df,
                unknown,
                "item_id",
                "use item ids of survey_items.csv, question ids of survey_demographics.csv "
                "or keys of survey.screening_columns",
            )
        )
    for col in ("export_tag", "item_id"):
        dup = df[col].duplicated(keep=False)
        if dup.any():
            problems.append(
                flag(
                    file,
                    wave_problem(wave, f"{col} listed more than once"),
                    df,
                    dup,
                    col,
                    "map each export tag to one column, and each column from one tag",
                )
            )
    if problems:
        raise combine(problems)
    return dict(zip(df["export_tag"], df["item_id"], strict=True))


def read_values(path: Path | str | None, wanted: Wanted, wave: str) -> dict[str, dict[str, str]]:
    """column -> {answer code: label}, from the wave's ``values`` file.

    A row is keyed by item (``item_id,code,label``; demographic and screening
    columns count as items) or by scale (``scale_id,code,label``: every item on
    that scale); a file may have both key columns, each row filling one. A row
    keyed by item wins over its scale's row for the same code.
    """
    if path is None:
        return {}
    file = rel(Path(path))
    df = read_csv_text(path, required=["code", "label"])
    df = df.apply(lambda c: c.str.strip())
    keys = [k for k in ("item_id", "scale_id") if k in df.columns]
    if not keys:
        raise InputError(
            file,
            wave_problem(wave, "values file has neither an item_id nor a scale_id column"),
            rows=[1],
            fix="give the header item_id,code,label or scale_id,code,label",
        )
    for k in ("item_id", "scale_id"):
        if k not in df.columns:
            df[k] = ""
    problems = []
    both = (df["item_id"] != "") == (df["scale_id"] != "")
    if both.any():
        problems.append(
            flag(
                file,
                wave_problem(wave, "a values row must name either an item or a scale"),
                df,
                both,
                "code",
                "fill exactly one of item_id and scale_id in each row",
            )
        )
    scales = sorted(set(wanted.scale.values()))
    unknown_item = (df["item_id"] != "") & ~df["item_id"].isin(wanted.columns)
    unknown_scale = (df["scale_id"] != "") & ~df["scale_id"].isin(scales)
    if unknown_item.any():
        problems.append(
            flag(
                file,
                wave_problem(wave, "values name column(s) the design does not have"),
                df,
                unknown_item,
                "item_id",
                "use item ids of survey_items.csv, question ids of survey_demographics.csv "
                "or keys of survey.screening_columns",
            )
        )
    if unknown_scale.any():
        problems.append(
            flag(
                file,
                wave_problem(wave, "values name scale(s) the design does not have"),
                df,
                unknown_scale,
                "scale_id",
                f"use scale ids of survey_scales.csv: {', '.join(scales)}",
            )
        )
    dup = df.duplicated(["item_id", "scale_id", "code"], keep=False) & ~both
    if dup.any():
        problems.append(
            flag(
                file,
                wave_problem(wave, "the same code given two labels"),
                df,
                dup,
                "code",
                "give each code of an item or scale one row",
            )
        )
    if problems:
        raise combine(problems)
    # Each row's label must be one its item (or an item of its scale) accepts.
    of_scale = {}
    for col, sid in wanted.scale.items():
        of_scale.setdefault(sid, col)
    accepted = [
        wanted.accepted[r.item_id] if r.item_id else wanted.accepted[of_scale[r.scale_id]]
        for r in df.itertuples()
    ]
    wrong = pd.Series(
        [r.label not in acc for r, acc in zip(df.itertuples(), accepted, strict=True)],
        index=df.index,
    )
    if wrong.any():
        raise flag(
            file,
            wave_problem(wave, "values give label(s) that the item or scale does not accept"),
            df,
            wrong,
            "label",
            "use the labels of survey_scales.csv, survey_missing_labels.csv or "
            "survey_demographics.csv exactly",
        )
    out: dict[str, dict[str, str]] = {}
    by_scale = df[df["scale_id"] != ""]
    for col in wanted.columns:
        sid = wanted.scale.get(col)
        rows = by_scale[by_scale["scale_id"] == sid] if sid else by_scale.iloc[0:0]
        codes = dict(zip(rows["code"], rows["label"], strict=True))
        mine = df[df["item_id"] == col]
        codes.update(zip(mine["code"], mine["label"], strict=True))
        if codes:
            out[col] = codes
    return out


def code_text(value: object) -> str:
    """An answer code as text: 3.0 -> '3', NaN/None -> ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decode_codes(
    frame: pd.DataFrame,
    wanted: Wanted,
    values: dict[str, dict[str, str]],
    *,
    file: str,
    wave: str,
    what: str,
) -> pd.DataFrame:
    """Answer codes -> labels: the ``values:`` file's, else the code's scale position.

    ``what`` says why the answers are codes (e.g. "this is a numeric export"),
    so a code with no meaning is reported as such and not as an unknown label.
    """
    out = frame.copy()
    problems = []
    for col in wanted.columns:
        if col not in out.columns:
            continue
        # A label the values file gives a code keeps only that code; the other
        # labels keep their scale position (so a file may list just 98 = 'I do not
        # know', and a file coding 0..4 turns the positions off).
        given = values.get(col, {})
        pos = wanted.positions[col]
        mapping = {str(i): lab for i, lab in enumerate(pos, 1) if lab not in given.values()}
        mapping.update(given)
        cells = out[col]
        bad = (cells != "") & ~cells.isin(list(mapping))
        if bad.any():
            known = ", ".join(f"{c} = {lab!r}" for c, lab in mapping.items())
            problems.append(
                InputError(
                    file,
                    wave_problem(wave, f"{what}: answer code(s) with no meaning for {col}"),
                    column=col,
                    rows=out.index[bad].tolist(),
                    values=sorted(set(cells[bad])),
                    fix=f"give the codes' labels in the wave's values CSV ({VALUES_KEY}: "
                    "rows item_id,code,label or scale_id,code,label); codes known for this "
                    f"column: {known}",
                )
            )
            continue
        out[col] = cells.map(lambda v, m=mapping: m.get(v, "") if v != "" else "")
    if problems:
        raise combine(problems)
    return out


def all_labels(frame: pd.DataFrame, wanted: Wanted) -> bool:
    """Every answer of every design column is one of its labels (a full-text export)."""
    for col in wanted.columns:
        if col in frame.columns and not frame[col].isin(wanted.accepted[col]).all():
            return False
    return True


def is_integer_code(value: str) -> bool:
    return bool(_INTEGER.fullmatch(value))


def select(
    names: list[str],
    mapping: dict[str, str],
    wanted: Wanted,
    keep_meta: dict[str, str],
    file: str,
    wave: str,
    row: int = 1,
) -> dict[int, str]:
    """Column index -> plain column, for the id, the metadata and the design's columns.

    Every other column is dropped (an allow-list). Two export columns giving
    the same plain column are refused.
    """
    missing_tags = [t for t in mapping if t not in names]
    if missing_tags:
        raise header_error(
            file,
            wave_problem(wave, "export tag(s) of the mapping file not in the export"),
            missing_tags,
            f"correct the export_tag in the wave's columns CSV ({COLUMNS_KEY}) "
            "or export those questions",
            row,
        )
    keep: dict[int, str] = {}
    for i, name in enumerate(names):
        if name in keep_meta:
            keep[i] = keep_meta[name]
        else:
            target = mapping.get(name, name)
            if target in wanted.columns and (name in mapping or name not in mapping.values()):
                keep[i] = target
    targets = list(keep.values())
    dup = sorted({t for t in targets if targets.count(t) > 1})
    if dup:
        raise InputError(
            file,
            wave_problem(wave, "two export columns give the same column"),
            column=", ".join(dup),
            rows=[row],
            fix="drop one of them from the mapping file or from the export",
        )
    return keep


def frame_of(rows: list[tuple[int, list[str]]], keep: dict[int, str]) -> pd.DataFrame:
    """The kept cells of the data rows, stripped, indexed by line."""
    data = [[(r[i] if i < len(r) else "").strip() for i in keep] for _, r in rows]
    return pd.DataFrame(
        data, columns=list(keep.values()), index=[line for line, _ in rows], dtype=str
    )


def no_layout(file: str, wave: str, configured: str, found: str | None, expected: str, fix: str):
    """A file that is not the configured platform's export, naming what it looks like."""
    if found and found != configured:
        return InputError(
            file,
            wave_problem(wave, f"configured as {configured}, but the file looks like {found}"),
            rows=[1],
            fix=f"set the wave's format to the platform that wrote it ({FORMAT_OF[found]})",
        )
    return InputError(file, wave_problem(wave, f"not {expected}"), rows=[1], fix=fix)


# What a file looks like -> the format key that reads it.
FORMAT_OF = {
    "a Qualtrics export": "format: qualtrics",
    "a LimeSurvey response export": "format: limesurvey",
    "an SPSS .sav file": "format: spss",
    "a plain wave": "format: plain",
}
