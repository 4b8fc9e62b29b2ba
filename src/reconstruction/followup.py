"""Synthetic raw data of the example follow-up study (examples/followup/).

The example shows the workflow running a study whose design differs from the
paper's: four research questions, a 7-point agreement scale, a 3-point scale,
two concern contexts, 24 interviews, its own demographics and screening rules,
incident labels from its second research question, and no published numbers.
Its instrument tables are written by hand in examples/followup/data/raw/
instruments/; this module writes the records (survey wave, coded interviews,
incident annotations), drawn with a fixed seed. They describe no real people
or projects: every file says it is synthetic.

    python -m reconstruction.followup          # rewrite the example's records
    python -m reconstruction.followup --check  # compare them byte for byte
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from reconstruction.common import annotated_incidents, csv_bytes, read_rows, write_or_check

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "followup"
RAW = EXAMPLE / "data" / "raw"
SEED = 20261130

N_RESPONDENTS = 40
N_INTERVIEWS = 24
N_INCIDENTS = 60
N_CALIBRATION = 12


def _read(name: str) -> list[dict[str, str]]:
    return read_rows(RAW / "instruments" / name)


def survey_wave(rng: np.random.Generator) -> bytes:
    items = _read("survey_items.csv")
    scales: dict[str, list[str]] = {}
    for r in sorted(_read("survey_scales.csv"), key=lambda r: (r["scale_id"], int(r["code"]))):
        scales.setdefault(r["scale_id"], []).append(r["label"])
    roles = ["Developer", "ML engineer", "Researcher", "Other"]
    experience = ["None", "Less than 1 year", "1-2 years", "More than 2 years"]
    # Respondents 1-3 have never built an agent; 4 has not and also failed the
    # attention check (the first rule counts it); 5-6 failed the check only.
    header = ["respondent_id", "role", "agent_experience", "attention_check"]
    header += [i["item_id"] for i in items]
    rows = []
    for n in range(1, N_RESPONDENTS + 1):
        exp = "None" if n <= 4 else experience[1 + int(rng.integers(0, 3))]
        check = "failed" if n in (4, 5, 6) else "passed"
        row: list[object] = [f"F{n:03d}", roles[int(rng.integers(0, 4))], exp, check]
        for item in items:
            labels = scales[item["scale_id"]]
            k = len(labels)
            # Production answers sit one level higher on average than prototype ones.
            shift = 1 if item["context"] == "production" else 0
            u = rng.random()
            if u < 0.04:
                row.append("Not sure")
            elif u < 0.07:
                row.append("")
            else:
                centre = (k + 1) / 2 + shift * 0.8
                level = int(np.clip(np.rint(rng.normal(centre, k / 4)), 1, k))
                row.append(labels[level - 1])
        rows.append(row)
    return csv_bytes(header, rows)


def interviews(rng: np.random.Generator) -> dict[str, bytes]:
    subs = _read("codebook_subthemes.csv")
    participants, codes, segments = [], [], []
    # The follow-up's own participant fields (its participant_fields.csv).
    team_sizes = ["1-5", "6-20", "21-100", "100+"]
    roles = ["Researcher", "Engineer", "Manager"]
    sectors = ["Academia", "Start-up", "Enterprise", "Public sector"]
    tools = ["PyTorch", "JAX", "TensorFlow", "JAX, PyTorch"]
    for n in range(1, N_INTERVIEWS + 1):
        ml = int(rng.integers(1, 8))
        participants.append(
            [
                f"P{n}",
                n,
                ml,
                ml + int(rng.integers(0, 10)),
                team_sizes[int(rng.integers(0, 4))],
                roles[int(rng.integers(0, 3))],
                sectors[int(rng.integers(0, 4))],
                tools[int(rng.integers(0, 4))],
            ]  # fmt: skip
        )
    code_of: dict[str, list[str]] = {}
    for s in subs:
        for k in (1, 2):
            cid = f"{s['subtheme_id']}_{k}"
            code_of.setdefault(s["subtheme_id"], []).append(cid)
            codes.append([cid, s["rq"], s["subtheme_id"], f"{s['short_label']}: aspect {k}"])
    seg = 0
    for n in range(1, N_INTERVIEWS + 1):
        for s in subs:
            # Every subtheme is first mentioned within the first 12 interviews.
            first = int(s["subtheme_order"])
            if n == first or (n > first and rng.random() < 0.35):
                seg += 1
                cid = code_of[s["subtheme_id"]][int(rng.integers(0, 2))]
                point = f"Synthetic key point about {s['short_label'].lower()}."
                segments.append([f"f{seg:03d}", f"P{n}", s["rq"], cid, s["subtheme_id"], point])
    return {
        "participants.csv": csv_bytes(
            [
                "participant_id",
                "interview_order",
                "ml_years",
                "coding_years",
                "team_size",
                "role",
                "sector",
                "tools",
            ],  # fmt: skip
            participants,
        ),
        "codes.csv": csv_bytes(["code_id", "rq", "subtheme_id", "code_label"], codes),
        "coded_segments.csv": csv_bytes(
            ["segment_id", "participant_id", "rq", "code_id", "subtheme_id", "key_point"], segments
        ),
    }


def incidents(rng: np.random.Generator) -> dict[str, bytes]:
    labels = [s["subtheme_id"] for s in _read("codebook_subthemes.csv") if s["rq"] == "RQ2"]
    return annotated_incidents(rng, labels, N_INCIDENTS, N_CALIBRATION, 0.3)


def outputs() -> dict[Path, bytes]:
    seeds = np.random.SeedSequence(SEED).spawn(3)
    out = {RAW / "survey" / "wave1.csv": survey_wave(np.random.default_rng(seeds[0]))}
    for name, data in interviews(np.random.default_rng(seeds[1])).items():
        out[RAW / "interviews" / name] = data
    for name, data in incidents(np.random.default_rng(seeds[2])).items():
        out[RAW / "incidents" / name] = data
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare, do not write")
    args = ap.parse_args(argv)
    return write_or_check(outputs(), check=args.check, module="reconstruction.followup")


if __name__ == "__main__":
    raise SystemExit(main())
