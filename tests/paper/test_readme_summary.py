"""The README quotes the shipped configuration's summary; it must say what the run says."""

from __future__ import annotations

import csv
import re

from downstream_safety.paths import ROOT

SENTENCE = re.compile(
    r"the summary reads: (\d+) distinct published quantities recomputed from reconstructed"
    r" records \((\d+) reproduced, (\d+) only under a stated assumption, (\d+) differ\),"
    r" (\d+) instrument counts, and (\d+) published incident claims checked against real"
    r" AIID labels: (\d+) corroborated, (\d+) contradicted, (\d+) mixed, (\d+) not checkable"
)


def test_readme_quotes_the_counts_of_the_shipped_run(pipeline):
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    found = SENTENCE.search(text)
    assert found, "README.md no longer quotes the summary in the expected words"
    path = ROOT / "data/processed/paper/audit_summary.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        n = {row["key"]: int(row["value"]) for row in csv.DictReader(fh)}
    real = ["corroborated", "contradicted", "mixed", "not_checkable"]
    expected = [
        n["quantities__reconstructed"],
        n["quantities__reconstructed__reproduced"],
        n["quantities__reconstructed__reproduced_assuming"],
        n["quantities__reconstructed__differs"],
        n["quantities__instrument"],
        sum(n[f"claims__{v}"] for v in real),
        *(n[f"claims__{v}"] for v in real),
    ]
    assert [int(g) for g in found.groups()] == expected
