"""A Qualtrics export (current layout, three header rows) of a plain wave, as Qualtrics writes it.

Three header rows (names, question texts, import-id JSON), a BOM and CRLF line
ends; the plain wave's respondents plus previews, a test, spam and unfinished
rows; personal metadata, recruitment-platform ids and a free-text answer in
every row; some items under export tags that differ from their ids (mapped in a
columns file); the description verdicts in a separate file.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

# Export tag used for some columns instead of their id (listed in the columns file).
RENAMED = {
    "ai_projects": "Q2",
    "imp_finetune_data": "Q5_1",
    "freq_user_feedback__data": "Q7_1",
}
META_BEFORE = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
               "Finished", "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName",
               "RecipientEmail", "ExternalReference", "LocationLatitude", "LocationLongitude",
               "DistributionChannel", "UserLanguage"]  # fmt: skip
PLATFORM_IDS = ["PROLIFIC_PID", "STUDY_ID", "SESSION_ID"]
FREE_TEXT = "Q9_TEXT"
NON_RESPONSES = [("Survey Preview", "True"), ("Survey Preview", "True"), ("Survey Test", "True"),
                 ("Spam", "True"), ("Spam", "False"), ("IP Address", "False"),
                 ("IP Address", "False")]  # fmt: skip


def personal_values(i: int, kind: str) -> dict[str, str]:
    """Distinct, searchable personal values of row ``i`` (kind: r = respondent, x = other)."""
    return {
        "IPAddress": f"198.51.{100 + i % 50}.{(i * 7) % 250 + 3}",
        "RecipientLastName": f"Zyqlast{kind}{i:03d}",
        "RecipientFirstName": f"Vexfirst{kind}{i:03d}",
        "RecipientEmail": f"person{kind}{i:03d}@example.org",
        "ExternalReference": f"EXTREF{kind}{i:05d}",
        "LocationLatitude": f"{47 + i / 1000:.4f}7",
        "LocationLongitude": f"{8 + i / 1000:.4f}3",
        "PROLIFIC_PID": f"5f{kind}{i:04d}c0ffee{i:06d}abcdef",
        "STUDY_ID": f"STUDY{kind}{i:04d}QQ",
        "SESSION_ID": f"SESS{kind}{i:04d}WW",
        FREE_TEXT: f"My project Kwazimodo{kind}{i:03d} builds a chatbot in Zurich",
    }


def write_export(plain: Path, folder: Path) -> dict:
    """Write export.csv, columns.csv and verdicts.csv from a plain wave.

    Returns the paths, the personal values written and the number of rows of
    each kind, for the tests' independent expectations.
    """
    with plain.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    plain_cols = list(rows[0])
    answer_cols = [c for c in plain_cols if c not in ("respondent_id", "description_verdict")
                   and c not in META_BEFORE]  # fmt: skip
    tags = [RENAMED.get(c, c) for c in answer_cols]
    names = [*META_BEFORE, *PLATFORM_IDS, *tags, FREE_TEXT]
    texts = [f"Question text of {n}?" for n in names]
    imports = [json.dumps({"ImportId": f"QID{i}" if n in tags else n}) for i, n in enumerate(names)]

    out_rows, personal = [], []
    nonresp = [(f"R_prev{j:02d}", status, fin) for j, (status, fin) in enumerate(NON_RESPONSES)]
    # Non-responses are interleaved with the respondents, as a platform writes them by time.
    order: list[tuple[str, dict | tuple]] = []
    for i, row in enumerate(rows):
        order.append(("r", row))
        if i % 17 == 3 and nonresp:
            order.append(("x", nonresp.pop()))
    order += [("x", n) for n in nonresp]
    for i, (kind, src) in enumerate(order):
        pv = personal_values(i, kind)
        personal.append(pv)
        rec = {n: "" for n in names}
        rec.update({"StartDate": "2024-05-02 10:11:12", "EndDate": "2024-05-02 10:31:40",
                    "Progress": "100", "Duration (in seconds)": str(900 + i),
                    "RecordedDate": "2024-05-02 10:31:41", "DistributionChannel": "anonymous",
                    "UserLanguage": "EN"})  # fmt: skip
        rec.update(pv)
        if kind == "r":
            rec.update(Status="IP Address", Finished="True", ResponseId=src["respondent_id"])
            for col, tag in zip(answer_cols, tags, strict=True):
                rec[tag] = src[col]
        else:
            rid, status, fin = src
            rec.update(Status=status, Finished=fin, ResponseId=rid)
            if fin == "False":
                rec["Progress"] = "40"
            # previews and partial answers hold labels that need not be valid
            rec[tags[-1]] = "Not a scale label"
        out_rows.append(rec)

    folder.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(names)
    w.writerow(texts)
    w.writerow(imports)
    for rec in out_rows:
        w.writerow([rec[n] for n in names])
    export = folder / "export.csv"
    export.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))

    columns = folder / "columns.csv"
    columns.write_text(
        "export_tag,item_id\n" + "".join(f"{t},{c}\n" for c, t in RENAMED.items()),
        encoding="utf-8",
    )
    verdicts = folder / "verdicts.csv"
    verdicts.write_text(
        "respondent_id,description_verdict\n"
        + "".join(f"{r['respondent_id']},{r['description_verdict']}\n" for r in rows),
        encoding="utf-8",
    )
    n_preview = sum(s != "IP Address" for s, _ in NON_RESPONSES)
    n_unfinished = sum(s == "IP Address" and f == "False" for s, f in NON_RESPONSES)
    return {
        "export": export,
        "columns": columns,
        "verdicts": verdicts,
        "personal": [v for pv in personal for v in pv.values()],
        "respondents": len(rows),
        "preview": n_preview,
        "unfinished": n_unfinished,
    }
