"""The paper's wave 1 written as each platform writes it, for the equivalence tests.

Built with the csv module and pyreadstat from the plain wave and the instrument
tables (read here with csv), never with the package's readers or writers. Each
export also holds rows that are not responses (previews, a test, spam,
unfinished) and personal metadata columns the readers must drop.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

from downstream_safety.paths import ROOT

INSTRUMENTS = ROOT / "data/raw/instruments"
WAVE1 = ROOT / "data/raw/survey/wave1.csv"
MISSING_CODES = {"I do not know": "98", "Does not apply": "99"}
# (Status code, Finished) of the non-response rows: 2 previews, a test, spam, 2 unfinished.
EXTRA = [("1", "1"), ("1", "1"), ("2", "1"), ("8", "1"), ("0", "0"), ("0", "0")]
STATUS_TEXT = {"0": "IP Address", "1": "Survey Preview", "2": "Survey Test", "8": "Spam"}
N_PREVIEW, N_UNFINISHED = 4, 2


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def design_labels() -> tuple[dict[str, list[str]], dict[str, str], list[str]]:
    """column -> labels in code order; item -> scale id; the plain wave's design columns."""
    scales: dict[str, list[str]] = {}
    for r in sorted(_rows(INSTRUMENTS / "survey_scales.csv"), key=lambda r: int(r["code"])):
        scales.setdefault(r["scale_id"], []).append(r["label"])
    labels: dict[str, list[str]] = {}
    demo = sorted(_rows(INSTRUMENTS / "survey_demographics.csv"),
                  key=lambda r: int(r["option_order"]))  # fmt: skip
    for r in demo:
        labels.setdefault(r["question_id"], []).append(r["option_label"])
    labels["description_verdict"] = ["accept", "reject"]
    item_scale = {r["item_id"]: r["scale_id"] for r in _rows(INSTRUMENTS / "survey_items.csv")}
    for item, sid in item_scale.items():
        labels[item] = scales[sid]
    return labels, item_scale, list(labels)


def wave() -> tuple[list[dict], dict[str, list[str]], dict[str, str], list[str]]:
    labels, item_scale, columns = design_labels()
    return _rows(WAVE1), labels, item_scale, columns


def code_of(labels: list[str], answer: str) -> str:
    if answer == "":
        return ""
    if answer in MISSING_CODES:
        return MISSING_CODES[answer]
    return str(labels.index(answer) + 1)


def numeric_values_csv(path: Path, item_scale: dict[str, str]) -> Path:
    """The missing labels' codes, keyed by scale (positions give the rest)."""
    rows = ["scale_id,code,label"]
    for sid in sorted(set(item_scale.values())):
        rows += [f"{sid},{c},{lab}" for lab, c in MISSING_CODES.items()]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def personal(i: int) -> dict[str, str]:
    return {"IPAddress": f"203.0.113.{i % 250 + 1}", "RecipientEmail": f"resp{i:03d}@example.com",
            "LocationLatitude": f"46.{i:04d}1"}  # fmt: skip


def _records(rows, labels, columns, numeric: bool):
    """(status, finished, id, answers) per row, non-responses interleaved."""
    out = []
    extra = list(EXTRA)
    for i, r in enumerate(rows):
        ans = {c: code_of(labels[c], r[c]) if numeric else r[c] for c in columns}
        out.append(("0", "1", r["respondent_id"], ans))
        if i % 20 == 5 and extra:
            st, fin = extra.pop()
            junk = {c: ("77" if numeric else "Not a label") for c in columns}
            out.append((st, fin, f"R_x{len(extra)}", junk))
    return out


def write_qualtrics(dest: Path, *, layout: str, numeric: bool, tsv: bool = False) -> Path:
    """layout: 'current' (three header rows) or 'legacy' (V1..V10 and a label row)."""
    rows, labels, _, columns = wave()
    meta = ["ResponseId" if layout == "current" else "ResponseID", "Status", "IPAddress",
            "RecipientEmail", "Finished", "LocationLatitude"]  # fmt: skip
    recs = _records(rows, labels, columns, numeric)
    body = []
    for i, (st, fin, rid, ans) in enumerate(recs):
        p = personal(i)
        status = st if numeric else STATUS_TEXT[st]
        finished = fin if numeric else {"1": "True", "0": "False"}[fin]
        m = {meta[0]: rid, "Status": status, "Finished": finished, **p}
        body.append([m[c] for c in meta] + [ans[c] for c in columns])
    if layout == "current":
        head = [meta + columns, [f"Text of {c}" for c in meta + columns],
                [json.dumps({"ImportId": c}) for c in meta + columns]]  # fmt: skip
    else:
        vs = [f"V{i}" for i in range(1, len(meta) + 1)]
        head = [vs + columns, meta + [f"Text of {c}" for c in columns]]
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t" if tsv else ",", lineterminator="\r\n").writerows(head + body)
    path = dest / ("export.tsv" if tsv else "export.csv")
    if tsv:
        path.write_bytes(codecs.BOM_UTF16_LE + buf.getvalue().encode("utf-16-le"))
    else:
        path.write_bytes(codecs.BOM_UTF8 + buf.getvalue().encode("utf-8"))
    return path


def write_spss(dest: Path) -> Path:
    """A Qualtrics-style .sav: numeric codes with value labels, Status and Finished labelled."""
    import pandas as pd
    import pyreadstat

    rows, labels, _, columns = wave()
    recs = _records(rows, labels, columns, numeric=True)
    data = {"ResponseId": [], "Status": [], "Finished": [], "IPAddress": []}
    data.update({c: [] for c in columns})
    for i, (st, fin, rid, ans) in enumerate(recs):
        data["ResponseId"].append(rid)
        data["Status"].append(float(st))
        data["Finished"].append(float(fin))
        data["IPAddress"].append(personal(i)["IPAddress"])
        for c in columns:
            data[c].append(float(ans[c]) if ans[c] != "" else float("nan"))
    df = pd.DataFrame(data)
    value_labels = {
        "Status": {float(k): v for k, v in STATUS_TEXT.items()},
        "Finished": {0.0: "False", 1.0: "True"},
    }
    for c in columns:
        vl = {float(i): lab for i, lab in enumerate(labels[c], 1)}
        if c not in ("ai_projects", "dl_experience", "se_experience", "description_verdict"):
            vl.update({float(code): lab for lab, code in MISSING_CODES.items()})
        value_labels[c] = vl
    path = dest / "export.sav"
    pyreadstat.write_sav(df, str(path), variable_value_labels=value_labels)
    return path


def write_limesurvey(dest: Path, *, full_headings: bool = True) -> tuple[Path, Path]:
    """Semicolon-separated, BOM, ``code. text`` headings, answers as codes A1..Ak / -oth-."""
    rows, labels, item_scale, columns = wave()
    meta = ["id", "submitdate", "lastpage", "startlanguage", "ipaddr"]
    head = [f"{c}. Text of {c}" if full_headings else c for c in meta + columns]
    body = []
    for i, (st, fin, rid, ans) in enumerate(_records(rows, labels, columns, numeric=True)):
        if st != "0":  # LimeSurvey has no previews: a test row becomes an incomplete response
            fin = "0"
        codes = [("A" + a if a not in ("", *MISSING_CODES.values()) else
                  {"98": "DK", "99": "NA", "": ""}[a]) for a in ans.values()]  # fmt: skip
        submit = "2024-09-02 10:00:00" if fin == "1" else ""
        body.append([rid, submit, "3", "en", personal(i)["IPAddress"], *codes])
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        [head, *body]
    )
    path = dest / "export.csv"
    path.write_bytes(codecs.BOM_UTF8 + buf.getvalue().encode("utf-8"))
    values = ["item_id,scale_id,code,label"]
    for sid in sorted(set(item_scale.values())):
        item = next(i for i, s in item_scale.items() if s == sid)
        values += [f",{sid},A{k},{lab}" for k, lab in enumerate(labels[item], 1)]
        values += [f",{sid},DK,I do not know", f",{sid},NA,Does not apply"]
    for c in columns:
        if c not in item_scale:
            values += [f"{c},,A{k},{lab}" for k, lab in enumerate(labels[c], 1)]
    vpath = dest / "values.csv"
    vpath.write_text("\n".join(values) + "\n", encoding="utf-8")
    return path, vpath


def respondents() -> int:
    return len(_rows(WAVE1))
