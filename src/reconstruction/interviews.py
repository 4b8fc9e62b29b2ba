"""Write the RECONSTRUCTED coded interviews under data/raw/interviews/.

The study's transcripts and coding files are confidential. This generator
builds a stand-in from published facts only: Table 2 (copied exactly), the
number of participants per subtheme (Table 3), the number of codes per RQ
(29/100/55), the participants the paper names for a subtheme, and the report
that no new subtheme appeared after interview 13. Everything else (which
other participants mention a subtheme, the codes' wording, the key-point
texts) is synthetic and drawn with a fixed seed.

Interview order: the 13 Hugging Face participants (P1-P13) were interviewed
first and the five network participants (P14-P18) afterwards, matching the
paper's account that the network sample complemented the Hugging Face one and
added no new subtheme. For saturation to fall exactly at interview 13 in every
RQ, one subtheme per RQ is first mentioned by P13 (see FIRST_AT_13).

    python -m reconstruction.interviews          # rewrite the files
    python -m reconstruction.interviews --check  # compare byte for byte
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from downstream_safety.common.tableio import to_csv_text
from downstream_safety.instruments.design import Design, design_tables, load_design
from downstream_safety.paths import RAW
from reconstruction import refi_qda_writer as refi_qda
from reconstruction.common import write_or_check

SEED = 2503_19444
OUT = RAW / "interviews"

# Table 2 of the paper, values copied exactly, held column by column (P1..P18 in
# order) and zipped into rows: id, DL exp., SE exp., # AI software, degree,
# organisation size, domain.
_TABLE2_COLUMNS = {
    "dl_exp": [1, 6, 2, 1, 2, 12, 4, 2, 6, 7, 4, 4, 3, 1, 3, 1, 4, 7],
    "se_exp": [15, 6, 4, 2, 7, 25, 2, 2, 6, 4, 3, 4, 2, 2, 3, 2, 4, 7],
    "n_ai_software": [
        "1-5",
        "5-10",
        "1-5",
        "1-5",
        "1-5",
        "1-5",
        "10-25",
        "25+",
        "1-5",
        "5-10",
        "25+",
        "25+",
        "5-10",
        "5-10",
        "1-5",
        "25+",
        "25+",
        "10-25",
    ],
    "degree": [
        "Bachelor",
        "PhD",
        "Bachelor",
        "PhD",
        "PhD",
        "PhD",
        "PhD",
        "Master",
        "PhD",
        "PhD",
        "Master",
        "Master",
        "Bachelor",
        "PhD",
        "Bachelor",
        "Master",
        "PhD",
        "PhD",
    ],
    "org_size": [
        "Open-source",
        "Small",
        "Open-source",
        "Large",
        "Open-source",
        "Small",
        "Large",
        "Large",
        "Large",
        "Large",
        "Medium",
        "Large",
        "Large",
        "Small",
        "Medium",
        "Small",
        "Small",
        "Medium",
    ],
    "domain": [
        "NLP",
        "CV",
        "NLP",
        "NLP",
        "CV",
        "NLP",
        "NLP",
        "CV",
        "CV, NLP",
        "CV",
        "CV, NLP",
        "CV, NLP",
        "NLP",
        "NLP",
        "NLP",
        "NLP",
        "NLP",
        "NLP",
    ],
}
TABLE2 = [
    (f"P{i}", *values)
    for i, values in enumerate(zip(*_TABLE2_COLUMNS.values(), strict=True), start=1)
]
N_HUGGING_FACE = 13

# Table 3, first numeric column: participants mentioning each subtheme.
N_PARTICIPANTS = {
    "finetune_data": 7, "pretrain_data": 5, "data_management": 4, "data_leakage": 8,
    "harmful_output": 13, "reliability": 8, "malicious_use": 5, "irresponsible_use": 6,
    "understand_dataset": 3, "understand_model": 5, "understand_sensitivities": 3,
    "monitor_io": 7, "user_feedback": 9, "eval_dataset": 10, "test_evaluate": 14,
    "security_practices": 9, "dataset_quality": 9, "iterative_refinement": 11,
    "filter_io": 7, "documentation": 10, "cross_functional": 9, "rely_companies": 8,
    "rely_external_resources": 4, "eval_benchmark_gap": 6, "monitoring_system_gap": 2,
    "interpretability": 4, "performance_tradeoff": 3, "monitoring_maintenance": 4,
    "policy_interpretation_gap": 6, "unreliable_methodology": 7, "financial_time": 6,
    "human_resources": 5, "knowledge_gap": 3, "poor_documentation": 4,
}  # fmt: skip
N_CODES = {"RQ1": 29, "RQ2": 100, "RQ3": 55}
# One subtheme per RQ whose first mention is in interview 13 (its other
# mentions come from the network interviews), so that the cumulative number of
# subthemes stops growing exactly after interview 13.
FIRST_AT_13 = {
    "RQ1": "pretrain_data",
    "RQ2": "understand_sensitivities",
    "RQ3": "monitoring_system_gap",
}

# Participants the paper names for a subtheme, with a paraphrased key point
# (code label suffix, key point). Section 5 of the paper mentions P6's
# mandatory dataset encryption and P2's informal rule on devices; both are
# coded as security practices here.
NAMED: dict[str, dict[str, tuple[str, str]]] = {
    "finetune_data": {
        "P11": (
            "consent for people's images",
            "Cannot train an image generator on people's photos without their consent.",
        ),
    },
    "data_management": {
        "P7": (
            "secure storage of data",
            "Checks whether the way training data is stored and accessed is secure.",
        ),
    },
    "data_leakage": {
        "P7": (
            "client privacy in banking",
            "Banking clients expect the assistant never to expose their private data.",
        ),
    },
    "irresponsible_use": {
        "P18": (
            "uncertified medical use",
            "Users apply a general assistant to medical questions it was never certified for.",
        ),
    },
    "understand_model": {
        "P8": (
            "inspect weights and loading code",
            "Checks weight files and loading scripts for malicious code; prefers safetensors.",
        ),
    },
    "iterative_refinement": {
        "P13": (
            "revisit fine-tuning and prompts",
            "On bad output, the team re-checks fine-tuning and rewrites the prompt.",
        ),
        "P17": (
            "retrain with more diverse audio",
            "Retrained the speech model on recordings with a wider range of accents.",
        ),
    },
    "dataset_quality": {
        "P17": (
            "partner to collect accent data",
            "Works with local partners to collect speech from children in rural regions.",
        ),
        "P7": (
            "mask customer fields",
            "Masks sensitive customer fields before the data reaches the model.",
        ),
    },
    "filter_io": {
        "P15": (
            "filter inappropriate content",
            "Runs a content filter that flags inappropriate text.",
        ),
        "P12": (
            "pattern rules for personal data",
            "Removes personal details from generated text with regular expressions.",
        ),
        "P11": (
            "guard model on output",
            "Passes every model answer through a guard model before it is shown.",
        ),
    },
    "security_practices": {
        "P12": (
            "on-premise databases",
            "Keeps databases on premise so that training data cannot leak.",
        ),
        "P6": (
            "encrypt data before transfer",
            "Company policy requires datasets to be encrypted before they are moved.",
        ),
        "P2": (
            "keep devices on site",
            "An informal team agreement keeps devices holding sensitive data in the office.",
        ),
    },
    "documentation": {
        "P9": (
            "document decisions for audit",
            "Records model choice, robustness checks and mitigations for the company audit.",
        ),
        "P12": (
            "disclaimers",
            "Adds disclaimers to the documentation to limit liability for unsafe output.",
        ),
    },
    "cross_functional": {
        "P13": (
            "consult legal and compliance",
            "Asks the legal and compliance team before using sensitive customer data.",
        ),
    },
    "eval_dataset": {
        "P4": (
            "collect test documents on GitHub",
            "Gathers test documents on sensitive topics from public GitHub repositories.",
        ),
        "P6": (
            "adapt benchmarks to other cultures",
            "Rewrites US-centred question-answer pairs to fit other cultural traditions.",
        ),
        "P16": (
            "production transcripts as reference",
            "Uses real support-chat transcripts as reference for hallucination checks.",
        ),
        "P13": (
            "generate test questions with an LLM",
            "Has a generative model draft test questions for the safety evaluation.",
        ),
    },
    "test_evaluate": {
        "P4": (
            "spot-check sampled prompts",
            "Samples a few questions and reads the answers for unsafe content.",
        ),
        "P16": (
            "LLM as judge",
            "Lets a second language model grade answers for hallucination and bias.",
        ),
        "P18": (
            "flag low scores for human review",
            "Scores a development set and sends low-scoring cases to human reviewers.",
        ),
    },
    "monitor_io": {
        "P11": (
            "notified of every prompt",
            "Gets a notification for each prompt and reads the matching output.",
        ),
    },
    "eval_benchmark_gap": {
        "P4": ("no safety metric", "No metric tells when a model is safe enough."),
    },
    "monitoring_system_gap": {
        "P13": (
            "missing safety dashboard",
            "Wants a dashboard that catches safety breaches before users report them.",
        ),
    },
    "interpretability": {
        "P12": (
            "black-box models",
            "Black-box models make unexpected behaviour hard to troubleshoot.",
        ),
    },
    "monitoring_maintenance": {
        "P16": (
            "questions drift over time",
            "Customer questions change over time and keeping answers current is hard.",
        ),
    },
    "policy_interpretation_gap": {
        "P9": (
            "vague library policy",
            "A rule against untrusted third-party libraries leaves the definition to the team.",
        ),
        "P12": (
            "several jurisdictions",
            "Meeting legal and ethical rules across several jurisdictions is complex.",
        ),
        "P18": (
            "no agreed monitoring practice",
            "There is no community-agreed practice for monitoring models.",
        ),
    },
    "financial_time": {
        "P14": ("small budget", "A small company has little budget for safety work."),
    },
    "human_resources": {
        "P15": ("no safety specialist", "The team has no specialist for AI safety."),
    },
    "knowledge_gap": {
        "P2": (
            "privacy budget unknown to users",
            "Most users do not know what a privacy budget is.",
        ),
    },
    "poor_documentation": {
        "P18": (
            "benchmarks do not match the domain",
            "Published benchmarks rarely match the tasks and domains of the project.",
        ),
    },
}

FACETS = {
    "RQ1": [
        "when selecting a pre-trained model", "during fine-tuning", "before release",
        "for end users", "in a regulated domain", "for customer data",
        "in open-source releases", "for LLM applications",
    ],
    "RQ2": [
        "by manual inspection", "with automated tooling", "before release",
        "after deployment", "with domain experts", "for LLM applications",
        "for vision models", "using open-source resources", "on customer data",
        "with a checklist", "in each iteration", "with a third-party service",
        "for compliance", "at model selection",
    ],
    "RQ3": [
        "at model selection", "during fine-tuning", "in testing", "in deployment",
        "in maintenance", "in a small team", "in a regulated domain",
        "for LLM applications", "for vision models",
    ],
}  # fmt: skip
TEMPLATE = {
    "RQ1": "Raises a concern about {label} {facet}.",
    "RQ2": "Describes the practice '{label}' {facet}.",
    "RQ3": "Names {label} as a challenge {facet}.",
}


def participants_table() -> pd.DataFrame:
    rows = []
    for i, (pid, dl, se, ai, deg, org, dom) in enumerate(TABLE2, start=1):
        rows.append(
            {
                "participant_id": pid,
                "interview_order": i,
                "channel": "hugging_face" if i <= N_HUGGING_FACE else "network",
                "dl_experience_years": dl,
                "se_experience_years": se,
                "n_ai_software": ai,
                "degree": deg,
                "org_size": org,
                "domain": dom,
            }
        )
    return pd.DataFrame(rows)


def _num(pid: str) -> int:
    return int(pid[1:])


def assign_participants(codebook: Design, rng: np.random.Generator) -> dict[str, list[str]]:
    """Choose who mentions each subtheme, honouring the published constraints."""
    pids = [p[0] for p in TABLE2]
    out: dict[str, list[str]] = {}
    for rq in ["RQ1", "RQ2", "RQ3"]:
        load = dict.fromkeys(pids, 0)
        subs = codebook.subthemes_of(rq)
        # Designated subtheme first, then the most constrained (largest) ones.
        subs = sorted(subs, key=lambda s: (s != FIRST_AT_13[rq], -N_PARTICIPANTS[s]))
        for sid in subs:
            chosen = list(NAMED.get(sid, {}))
            if sid == FIRST_AT_13[rq]:
                pool = [p for p in pids if _num(p) > 13]
                chosen = sorted(set(chosen) | {"P13"}, key=_num)
            else:
                pool = pids
                if not any(_num(p) <= 12 for p in chosen):
                    early = [p for p in pids if _num(p) <= 12]
                    chosen.append(_pick(early, load, rng))
            need = N_PARTICIPANTS[sid] - len(chosen)
            for _ in range(need):
                chosen.append(_pick([p for p in pool if p not in chosen], load, rng))
            for p in chosen:
                load[p] += 1
            out[sid] = sorted(chosen, key=_num)
        idle = [p for p, n in load.items() if n == 0]
        if idle:
            raise RuntimeError(f"{rq}: participants without any subtheme: {idle}")
    return out


def _pick(candidates: list[str], load: dict[str, int], rng: np.random.Generator) -> str:
    keys = rng.random(len(candidates))
    best = min(range(len(candidates)), key=lambda i: (load[candidates[i]], keys[i]))
    return candidates[best]


def allocate_codes(codebook: Design) -> dict[str, int]:
    """Codes per subtheme: proportional to participants (largest remainder), at least
    one per subtheme and at least one per named participant."""
    out: dict[str, int] = {}
    for rq, total in N_CODES.items():
        subs = codebook.subthemes_of(rq)
        weight = np.array([N_PARTICIPANTS[s] for s in subs], dtype=float)
        exact = total * weight / weight.sum()
        k = np.maximum(np.floor(exact).astype(int), 1)
        k = np.maximum(k, [len(NAMED.get(s, {})) for s in subs])
        order = np.argsort(-(exact - np.floor(exact)), kind="stable")
        i = 0
        while k.sum() < total:
            k[order[i % len(subs)]] += 1
            i += 1
        if k.sum() != total:
            raise RuntimeError(f"{rq}: cannot allocate {total} codes")
        out.update(dict(zip(subs, k.tolist(), strict=True)))
    return out


def build(codebook: Design) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(SEED)
    participants = participants_table()
    who = assign_participants(codebook, rng)
    n_codes = allocate_codes(codebook)
    subs = codebook.subthemes.set_index("subtheme_id")
    codes, segs = [], []
    for rq in ["RQ1", "RQ2", "RQ3"]:
        counter = 0
        for sid in codebook.subthemes_of(rq):
            label = subs.at[sid, "short_label"]
            named = NAMED.get(sid, {})
            mine = []
            for pid in sorted(named, key=_num):
                counter += 1
                cid = f"{rq.lower()}_{counter:03d}"
                suffix, text = named[pid]
                codes.append((cid, rq, sid, f"{label}: {suffix}"))
                segs.append((pid, rq, cid, sid, text))
                mine.append(cid)
            facets = list(FACETS[rq])
            rng.shuffle(facets)
            generic = []
            for j in range(n_codes[sid] - len(named)):
                counter += 1
                cid = f"{rq.lower()}_{counter:03d}"
                codes.append((cid, rq, sid, f"{label}: {facets[j]}"))
                generic.append((cid, facets[j]))
            others = [p for p in who[sid] if p not in named]
            rng.shuffle(others)
            if generic:
                holders = others or sorted(named, key=_num)
                for j in range(max(len(others), len(generic))):
                    cid, facet = generic[j % len(generic)]
                    text = TEMPLATE[rq].format(label=label.lower(), facet=facet)
                    segs.append((holders[j % len(holders)], rq, cid, sid, text))
            else:
                for j, pid in enumerate(others):
                    cid = mine[j % len(mine)]
                    text = TEMPLATE[rq].format(label=label.lower(), facet="in their own project")
                    segs.append((pid, rq, cid, sid, text))
    code_df = pd.DataFrame(codes, columns=["code_id", "rq", "subtheme_id", "code_label"])
    seg_df = pd.DataFrame(
        segs, columns=["participant_id", "rq", "code_id", "subtheme_id", "key_point"]
    )
    seg_df["_n"] = seg_df["participant_id"].map(_num)
    seg_df = seg_df.sort_values(["_n", "rq", "code_id", "key_point"], kind="stable")
    seg_df.insert(0, "segment_id", [f"s{i:03d}" for i in range(1, len(seg_df) + 1)])
    seg_df = seg_df.drop(columns="_n").reset_index(drop=True)
    return participants, code_df.sort_values("code_id").reset_index(drop=True), seg_df


def render(codebook: Design | None = None) -> dict[Path, bytes]:
    codebook = codebook or load_design(design_tables(RAW / "instruments"))
    participants, codes, segments = build(codebook)
    xml, files = refi_qda.build_project(
        codes, segments, codebook, participants["participant_id"].tolist()
    )
    return {
        OUT / "participants.csv": to_csv_text(participants).encode(),
        OUT / "codes.csv": to_csv_text(codes).encode(),
        OUT / "coded_segments.csv": to_csv_text(segments).encode(),
        OUT / "coded_interviews.qdpx": refi_qda.qdpx_bytes(xml, files),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args(argv)
    return write_or_check(render(), check=args.check, module="reconstruction.interviews")


if __name__ == "__main__":
    raise SystemExit(main())
