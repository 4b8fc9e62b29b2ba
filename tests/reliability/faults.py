"""A catalogue of realistic faults in exported CSV tables, and how to judge the outcome.

Each fault turns the bytes of a good table into the bytes a user might really
feed the package (a cell typed by hand, a column renamed by a survey tool, a
file saved by Excel with a BOM and CRLF, a download cut short, ...). A fault
either must fail with a clear ``InputError`` (file, column, rows, fix) or is
legitimately tolerated, in which case the loader must return exactly what it
returns for the good table.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError

MAX_MESSAGE = 20_000  # a message longer than this is no longer readable
HUGE = 2_000_000  # characters in the "huge field" fault


@dataclass(frozen=True)
class TableSpec:
    """How to fault one raw table: which columns play which part."""

    name: str
    source: Path  # folder copied into the temporary directory
    file: str  # the faulted file, relative to ``source``
    load: Callable[[Path], object]  # loads everything from the copied folder
    id_col: str | None = None  # unique id
    int_col: str | None = None  # integer column
    label_col: str | None = None  # column with a closed set of labels
    ref_col: str | None = None  # column referencing another table
    text_col: str | None = None  # free-text column (non-UTF-8 bytes go here)
    extra_column: str = "tolerated"  # or "error" for strict tables
    row: int = 1  # data row that is faulted (file line row + 2)
    xfail: dict[str, str] = field(default_factory=dict)  # fault -> reason
    tolerated: tuple[str, ...] = ()  # faults this table's contract accepts (documented)

    @property
    def required_col(self) -> str | None:
        """A required column to drop or rename."""
        return self.int_col or self.id_col or self.text_col


@dataclass(frozen=True)
class Fault:
    name: str
    expect: str  # "error" or "tolerated"
    needs: tuple[str, ...]  # TableSpec attributes that must be set
    apply: Callable[[TableSpec, bytes], bytes | None]  # None: delete the file
    column: str | None = None  # TableSpec attribute naming the column the message must name
    line: str | None = None  # "row", "row-1,row", "last": the line(s) the message must name


def parse(data: bytes) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    return rows[0], rows[1:]


def unparse(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _set_cell(spec: TableSpec, data: bytes, attr: str, value: Callable[[str], str]) -> bytes:
    header, rows = parse(data)
    col = header.index(getattr(spec, attr))
    rows[spec.row][col] = value(rows[spec.row][col])
    return unparse(header, rows)


def _rename(spec: TableSpec, data: bytes, attr: str, new: Callable[[str], str]) -> bytes:
    header, rows = parse(data)
    i = header.index(getattr(spec, attr))
    header[i] = new(header[i])
    return unparse(header, rows)


def _drop(spec: TableSpec, data: bytes) -> bytes:
    header, rows = parse(data)
    i = header.index(spec.required_col)
    return unparse(header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows])


def _duplicate_column(spec: TableSpec, data: bytes) -> bytes:
    header, rows = parse(data)
    i = header.index(spec.label_col)
    return unparse(header + [header[i]], [r + [r[i]] for r in rows])


def _extra_column(spec: TableSpec, data: bytes) -> bytes:
    header, rows = parse(data)
    return unparse(header + ["exported_at"], [r + ["2025-03-01 10:00"] for r in rows])


def _duplicate_id(spec: TableSpec, data: bytes) -> bytes:
    header, rows = parse(data)
    i = header.index(spec.id_col)
    rows[spec.row][i] = rows[spec.row - 1][i]
    return unparse(header, rows)


def _case_variant(value: str) -> str:
    swapped = value.swapcase()
    return swapped if swapped != value else value.upper() + "X"


def _non_utf8(spec: TableSpec, data: bytes) -> bytes:
    marker = "\u00a7MARK\u00a7"
    out = _set_cell(spec, data, "text_col", lambda v: v + marker)
    return out.replace(marker.encode("utf-8"), b"caf\xe9")  # Latin-1 e-acute


def _truncate_last_line(spec: TableSpec, data: bytes) -> bytes:
    """A download cut short: the last line loses its last field and part of the one before."""
    body = data.rstrip(b"\n")
    start = body.rfind(b"\n") + 1
    last = body[start:]
    comma = last.rfind(b",")
    cut = last[: max(1, comma - 2)]
    return body[:start] + cut


def _unquoted_comma(spec: TableSpec, data: bytes) -> bytes:
    lines = data.decode("utf-8").split("\n")
    # Insert a bare comma into the first field of the faulted line: one field too many.
    line = spec.row + 1
    lines[line] = "x," + lines[line]
    return "\n".join(lines).encode("utf-8")


FAULTS: list[Fault] = [
    Fault("missing_file", "error", (), lambda s, d: None),
    Fault("empty_file", "error", (), lambda s, d: b""),
    Fault("header_only", "error", (), lambda s, d: d.split(b"\n", 1)[0] + b"\n"),
    Fault("missing_column", "error", ("required_col",), _drop, column="required_col"),
    Fault(
        "renamed_column",
        "error",
        ("required_col",),
        lambda s, d: _rename(s, d, "required_col", lambda c: c.upper() + "_RENAMED"),
        column="required_col",
    ),
    Fault("duplicated_column", "error", ("label_col",), _duplicate_column, column="label_col"),
    Fault(
        "header_whitespace",
        "tolerated",
        ("required_col",),
        lambda s, d: _rename(s, d, "required_col", lambda c: f" {c} "),
    ),
    Fault(
        "wrong_type",
        "error",
        ("int_col",),
        lambda s, d: _set_cell(s, d, "int_col", lambda v: "three"),
        column="int_col",
        line="row",
    ),
    Fault(
        "out_of_range",
        "error",
        ("int_col",),
        lambda s, d: _set_cell(s, d, "int_col", lambda v: "-5"),
        column="int_col",
        line="row",
    ),
    Fault(
        "empty_required_cell",
        "error",
        ("int_col",),
        lambda s, d: _set_cell(s, d, "int_col", lambda v: ""),
        column="int_col",
        line="row",
    ),
    Fault(
        "unknown_label",
        "error",
        ("label_col",),
        lambda s, d: _set_cell(s, d, "label_col", lambda v: "no_such_label"),
        column="label_col",
        line="row",
    ),
    Fault(
        "trailing_whitespace",
        "error",
        ("label_col",),
        lambda s, d: _set_cell(s, d, "label_col", lambda v: v + " "),
        column="label_col",
        line="row",
    ),
    Fault(
        "case_variant",
        "error",
        ("label_col",),
        lambda s, d: _set_cell(s, d, "label_col", _case_variant),
        column="label_col",
        line="row",
    ),
    Fault("duplicate_id", "error", ("id_col",), _duplicate_id, column="id_col", line="row"),
    Fault(
        "dangling_reference",
        "error",
        ("ref_col",),
        lambda s, d: _set_cell(s, d, "ref_col", lambda v: "no_such_id"),
        column="ref_col",
        line="row",
    ),
    Fault("non_utf8_bytes", "error", ("text_col",), _non_utf8, line="row"),
    Fault("bom", "tolerated", (), lambda s, d: b"\xef\xbb\xbf" + d),
    Fault("crlf", "tolerated", (), lambda s, d: d.replace(b"\n", b"\r\n")),
    Fault("trailing_blank_lines", "tolerated", (), lambda s, d: d + b"\n\n"),
    Fault("extra_column", "tolerated", (), _extra_column),
    Fault("truncated_last_line", "error", (), _truncate_last_line, line="last"),
    Fault("unquoted_comma", "error", (), _unquoted_comma, line="row"),
    Fault(
        "huge_field",
        "error",
        ("label_col",),
        lambda s, d: _set_cell(s, d, "label_col", lambda v: v + "x" * HUGE),
        column="label_col",
        line="row",
    ),
]
FAULTS_BY_NAME = {f.name: f for f in FAULTS}


def expectation(spec: TableSpec, fault: Fault) -> str:
    if fault.name in spec.tolerated:
        return "tolerated"
    if fault.name == "extra_column":
        return spec.extra_column
    return fault.expect


def applicable(spec: TableSpec, fault: Fault) -> bool:
    return all(getattr(spec, attr) for attr in fault.needs)


def prepare(spec: TableSpec, tmp: Path, fault: Fault | None) -> Path:
    """Copy the source folder into ``tmp`` and apply ``fault`` to the table."""
    dest = tmp / spec.source.name
    shutil.copytree(spec.source, dest)
    target = dest / spec.file
    data = unparse(*parse(target.read_bytes()))  # canonical form, so faults see plain CSV
    target.write_bytes(data)
    if fault is not None:
        out = fault.apply(spec, data)
        if out is None:
            target.unlink()
        else:
            target.write_bytes(out)
    return dest


def expected_lines(spec: TableSpec, fault: Fault, data_rows: int) -> list[int]:
    if fault.line == "row":
        return [spec.row + 2]
    if fault.line == "last":
        return [data_rows + 1]
    return []


def names_line(message: str, line: int) -> bool:
    """The message names ``line`` in its rows list or as 'line N' / 'row N'."""
    for m in re.finditer(r"rows:\s+([^\n(]*)", message):
        if str(line) in re.findall(r"\d+", m.group(1)):
            return True
    return re.search(rf"\b(?:line|row)\s+{line}\b", message) is not None


def check_clear_error(err: InputError, spec: TableSpec, fault: Fault, data_rows: int) -> list[str]:
    """Problems with the message; empty when it names file, column, rows and a fix."""
    msg = str(err)
    problems = []
    if len(msg) > MAX_MESSAGE:
        problems.append(f"message is {len(msg)} characters long")
        msg = msg[:MAX_MESSAGE]
    if Path(spec.file).name not in msg:
        problems.append(f"file {spec.file} not named")
    if fault.column and getattr(spec, fault.column) not in msg:
        problems.append(f"column {getattr(spec, fault.column)} not named")
    for line in expected_lines(spec, fault, data_rows):
        if not names_line(msg, line):
            problems.append(f"line {line} not named")
    if "fix:" not in msg:
        problems.append("no fix given")
    return problems


def normalise(result: object) -> object:
    """Comparable form of a loader's result (frames, dataclasses, lists, dicts)."""
    if isinstance(result, pd.DataFrame):
        frame = result.reset_index(drop=True)
        return (frame.dtypes.astype(str).to_dict(), frame.to_csv(index=False))
    if isinstance(result, pd.Series):
        return result.tolist()
    if isinstance(result, Path):
        return result.name  # where the copy lives does not matter
    if hasattr(result, "__dataclass_fields__"):
        return {k: normalise(getattr(result, k)) for k in result.__dataclass_fields__}
    if isinstance(result, dict):
        return {k: normalise(v) for k, v in result.items()}
    if isinstance(result, list | tuple):
        return [normalise(v) for v in result]
    return result


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


_BASELINE: dict[tuple[str, str], object] = {}


def baseline(spec: TableSpec) -> object:
    """The normalised result of loading the intact shipped table (computed once per table)."""
    key = (str(spec.source), spec.name)
    if key not in _BASELINE:
        _BASELINE[key] = normalise(spec.load(spec.source))
    return _BASELINE[key]


def run_case(spec: TableSpec, fault: Fault, tmp: Path) -> None:
    """Apply ``fault`` to a copy of the table and check the outcome the catalogue expects."""
    import pytest

    folder = prepare(spec, tmp, fault)
    before = _files(tmp)
    if expectation(spec, fault) == "tolerated":
        got = spec.load(folder)
        assert normalise(got) == baseline(spec), "tolerated fault changed data"
    else:
        data_rows = len(parse(unparse(*parse((spec.source / spec.file).read_bytes())))[1])
        with pytest.raises(InputError) as info:
            spec.load(folder)
        problems = check_clear_error(info.value, spec, fault, data_rows)
        assert not problems, f"{'; '.join(problems)}\n--- message ---\n{str(info.value)[:3000]}"
    assert _files(tmp) == before, "the loader wrote or changed files"


# Faults in exports as the tools write them: a Qualtrics CSV export (three
# header rows) and a QDA tool's REFI-QDA project (codes by name, Cases). Each edits
# the files written by the test fixture and returns what the message must name.


@dataclass(frozen=True)
class ExportFault:
    name: str
    layout: str  # "qualtrics" (tests/survey/platform_fixture.py) or "qdpx" (by-name project)
    apply: Callable[[dict], dict]  # files -> {"file", "names": [...], "rows": [...]}


def _drop_export_column(files: dict, column: str) -> None:
    """Remove ``column`` from all three header rows and every data row of the export."""
    path = Path(files["export"])
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    i = rows[0].index(column)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([r[:i] + r[i + 1 :] for r in rows])
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


def _missing_response_id(files: dict) -> dict:
    _drop_export_column(files, "ResponseId")
    return {"file": Path(files["export"]).name, "names": ["ResponseId"], "rows": [1]}


def _unmapped_export_tag(files: dict) -> dict:
    """The columns file forgets one tag: its item is missing from the export's header."""
    path = Path(files["columns"])
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    tag, item = lines[2].strip().split(",")  # second mapping row
    path.write_text("".join(lines[:2] + lines[3:]), encoding="utf-8")
    return {"file": Path(files["export"]).name, "names": [item, path.name], "rows": [1]}


def _edit_qde(files: dict, change: Callable) -> dict:
    """Rewrite the project's project.qde after ``change(root)``; return its expectations."""
    import zipfile

    from lxml import etree

    path = Path(files["project"])
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    root = etree.fromstring(members["project.qde"])
    expect = change(root, members)
    data = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    members["project.qde"] = data
    # Line numbers of the named elements, read back from the bytes written.
    reread = etree.fromstring(data)
    expect["rows"] = sorted(
        el.sourceline for el in reread.iter() if el.get("guid") in expect["guids"]
    )
    with zipfile.ZipFile(path, "w") as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return {"file": path.name, "names": expect["names"], "rows": expect["rows"]}


def _qn(root, tag: str) -> list:
    return [el for el in root.iter() if isinstance(el.tag, str) and el.tag.endswith("}" + tag)]


def _selection_past_end(files: dict) -> dict:
    def change(root, members):
        src = _qn(root, "TextSource")[0]
        text = members[f"Sources/{src.get('plainTextPath')}"].decode("utf-8")
        sel = [e for e in _qn(src, "PlainTextSelection")][-1]
        sel.set("endPosition", str(len(text) + 5))  # code points, exclusive end
        names = [src.get("name"), sel.get("name") or sel.get("guid"), f"{len(text) + 5}"]
        return {"names": names, "guids": {sel.get("guid")}}

    return _edit_qde(files, change)


def _case_without_source(files: dict) -> dict:
    def change(root, members):
        case = _qn(root, "Case")[1]
        for ref in _qn(case, "SourceRef"):
            case.remove(ref)
        return {"names": [f"case '{case.get('name')}'"], "guids": {case.get("guid")}}

    return _edit_qde(files, change)


def _two_cases_for_one_source(files: dict) -> dict:
    def change(root, members):
        first, second = _qn(root, "Case")[:2]
        target = _qn(first, "SourceRef")[0].get("targetGUID")
        src = next(s for s in _qn(root, "TextSource") if s.get("guid") == target)
        extra = copy.deepcopy(_qn(second, "SourceRef")[0])
        extra.set("targetGUID", target)
        second.append(extra)
        names = [src.get("name"), first.get("name"), second.get("name")]
        return {"names": names, "guids": {first.get("guid"), second.get("guid")}}

    return _edit_qde(files, change)


EXPORT_FAULTS = [
    ExportFault("missing_response_id", "qualtrics", _missing_response_id),
    ExportFault("unmapped_export_tag", "qualtrics", _unmapped_export_tag),
    ExportFault("selection_past_end", "qdpx", _selection_past_end),
    ExportFault("case_without_source", "qdpx", _case_without_source),
    ExportFault("two_cases_for_one_source", "qdpx", _two_cases_for_one_source),
]


def check_export_error(err: InputError, expect: dict) -> list[str]:
    """Problems with the message; empty when it names file, element, rows and a fix."""
    msg = str(err)
    problems = [f"{n!r} not named" for n in [expect["file"], *expect["names"]] if n not in msg]
    problems += [f"line {r} not named" for r in expect["rows"] if not names_line(msg, r)]
    if not expect["rows"]:
        problems.append("the fault names no rows (bug in the catalogue)")
    if "fix:" not in msg:
        problems.append("no fix given")
    return problems
