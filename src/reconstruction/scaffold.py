"""Synthetic records of the new-study template (downstream_safety/scaffold/template/).

``python3 repro.py new-study DIR`` copies the template into a folder of its own:
instrument tables written by hand (two research questions, a 6-point and a
3-point scale, two contexts) and records that fit them, so the folder runs as
it is and a team sees every table's layout before replacing the rows with its
own. This module writes those records from the template's instrument tables,
with a fixed seed: 8 interviews, a 24-respondent survey wave, 20 annotated
incidents and a small recruitment log. They describe no one; every file says
it is synthetic.

    python -m reconstruction.scaffold          # rewrite the template's records
    python -m reconstruction.scaffold --check  # compare them byte for byte
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from reconstruction.common import annotated_incidents, csv_bytes, read_rows, write_or_check

TEMPLATE = Path(__file__).resolve().parents[1] / "downstream_safety" / "scaffold" / "template"
RAW = TEMPLATE / "data" / "raw"
SEED = 20261203

N_RESPONDENTS = 24
N_INTERVIEWS = 8
N_CONTACTED_ATTENDED = 6  # the other interviewees came through the team's network
N_INCIDENTS = 20
N_CALIBRATION = 6
N_USERS = 30
TOOLS = ["PyTorch", "JAX", "XGBoost"]


def _read(name: str) -> list[dict[str, str]]:
    return read_rows(RAW / "instruments" / name)


def _options(table: list[dict[str, str]], id_col: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in sorted(table, key=lambda r: (r[id_col], int(r["option_order"] or 0))):
        if r["option_label"]:
            out.setdefault(r[id_col], []).append(r["option_label"])
    return out


def survey_wave(rng: np.random.Generator) -> bytes:
    items = _read("survey_items.csv")
    scales: dict[str, list[str]] = {}
    for r in sorted(_read("survey_scales.csv"), key=lambda r: (r["scale_id"], int(r["code"]))):
        scales.setdefault(r["scale_id"], []).append(r["label"])
    demographics = _options(_read("survey_demographics.csv"), "question_id")
    questions = sorted(demographics)
    header = ["respondent_id", *questions, "attention_check", *(i["item_id"] for i in items)]
    rows = []
    for n in range(1, N_RESPONDENTS + 1):
        row: list[object] = [f"R{n:02d}"]
        for q in questions:
            opts = demographics[q]
            # Respondent 1 answers the first option of every question ("None" for
            # experience), which the first screening rule excludes.
            row.append(opts[0] if n == 1 else opts[int(rng.integers(1, len(opts)))])
        row.append("failed" if n == 2 else "passed")  # the attention-check rule
        for item in items:
            labels = scales[item["scale_id"]]
            k = len(labels)
            shift = 1 if item["context"] == "production" else 0
            if rng.random() < 0.05:
                row.append("Not sure")
                continue
            centre = (k + 1) / 2 + shift * 0.9
            level = int(np.clip(np.rint(rng.normal(centre, k / 4)), 1, k))
            row.append(labels[level - 1])
        rows.append(row)
    return csv_bytes(header, rows)


def interviews(rng: np.random.Generator) -> dict[str, bytes]:
    subs = _read("codebook_subthemes.csv")
    fields = _read("participant_fields.csv")
    options = _options(fields, "field_id")
    field_ids = list(dict.fromkeys(f["field_id"] for f in fields))
    kinds = {f["field_id"]: f["kind"] for f in fields}
    participants = []
    for n in range(1, N_INTERVIEWS + 1):
        row: list[object] = [f"P{n}", n]
        for fid in field_ids:
            if fid == "channel":
                row.append("hugging_face" if n <= N_CONTACTED_ATTENDED else "network")
            elif kinds[fid] == "count":
                row.append(int(rng.integers(1, 12)))
            elif kinds[fid] == "choice":
                row.append(options[fid][int(rng.integers(0, len(options[fid])))])
            else:
                picked = [t for t in TOOLS if rng.random() < 0.5] or [TOOLS[0]]
                row.append(", ".join(picked))
        participants.append(row)
    codes, segments = [], []
    code_of: dict[str, list[str]] = {}
    for s in subs:
        for k in (1, 2):
            cid = f"{s['subtheme_id']}_{k}"
            code_of.setdefault(s["subtheme_id"], []).append(cid)
            codes.append([cid, s["rq"], s["subtheme_id"], f"{s['short_label']}: aspect {k}"])
    seg = 0
    for n in range(1, N_INTERVIEWS + 1):
        for s in subs:
            first = int(s["subtheme_order"])  # each subtheme first comes up by interview 4
            if n == first or (n > first and rng.random() < 0.4):
                seg += 1
                cid = code_of[s["subtheme_id"]][int(rng.integers(0, 2))]
                point = f"Synthetic key point about {s['short_label'].lower()}."
                segments.append([f"s{seg:03d}", f"P{n}", s["rq"], cid, s["subtheme_id"], point])
    return {
        "participants.csv": csv_bytes(
            ["participant_id", "interview_order", *field_ids], participants
        ),
        "codes.csv": csv_bytes(["code_id", "rq", "subtheme_id", "code_label"], codes),
        "coded_segments.csv": csv_bytes(
            ["segment_id", "participant_id", "rq", "code_id", "subtheme_id", "key_point"], segments
        ),
    }


def incidents(rng: np.random.Generator, taxonomy_rq: str) -> dict[str, bytes]:
    labels = [s["subtheme_id"] for s in _read("codebook_subthemes.csv") if s["rq"] == taxonomy_rq]
    return annotated_incidents(rng, labels, N_INCIDENTS, N_CALIBRATION, 0.4)


def recruitment(rng: np.random.Generator) -> dict[str, bytes]:
    users = [[f"u{n}", "true" if n <= 8 else "false"] for n in range(1, N_USERS + 1)]
    orgs = [["o1", 80, "company"], ["o2", 60, "non-profit"], ["o3", 12, "community"]]
    memberships = [[f"u{n}", f"o{1 + (n % 3)}"] for n in range(5, N_USERS + 1)]
    # The sampling frame: PRO users and members of the two large organisations
    # (config: more_than_members 50, labels company and non-profit).
    members = {u: o for u, o in memberships}
    pool = [u for u, pro in users if pro == "true" or members.get(u) in ("o1", "o2")]
    order = rng.permutation(np.array(pool))[:18]
    contacts, attended = [], 0
    for k, u in enumerate(order, start=1):
        if attended < N_CONTACTED_ATTENDED and k % 3 == 0:
            attended += 1
            contacts.append([k, str(u), "attended", f"P{attended}"])
        else:
            contacts.append([k, str(u), ["no_reply", "declined", "no_show"][k % 3], ""])
    return {
        "hf_users.csv": csv_bytes(["user_id", "is_pro"], users),
        "hf_organisations.csv": csv_bytes(["org_id", "n_members", "label"], orgs),
        "hf_memberships.csv": csv_bytes(["user_id", "org_id"], memberships),
        "contact_log.csv": csv_bytes(
            ["contact_order", "user_id", "outcome", "participant_id"], contacts
        ),
    }


def outputs() -> dict[Path, bytes]:
    seeds = np.random.SeedSequence(SEED).spawn(4)
    out = {RAW / "survey" / "wave1.csv": survey_wave(np.random.default_rng(seeds[0]))}
    for name, data in interviews(np.random.default_rng(seeds[1])).items():
        out[RAW / "interviews" / name] = data
    for name, data in incidents(np.random.default_rng(seeds[2]), "RQ-B").items():
        out[RAW / "incidents" / name] = data
    for name, data in recruitment(np.random.default_rng(seeds[3])).items():
        out[RAW / "recruitment" / name] = data
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare, do not write")
    args = ap.parse_args(argv)
    return write_or_check(outputs(), check=args.check, module="reconstruction.scaffold")


if __name__ == "__main__":
    raise SystemExit(main())
