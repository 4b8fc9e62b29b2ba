"""Real-data checks: the AIID snapshot as published, the committed extract and
the values of the checks, each compared with an independent reading of the
snapshot's CSV files (csv module, hand formulas), never with the package code.

The shared snapshot is read from ../shared (tests needing it skip with a
reason when it is absent); the committed extract is always there, so the
checks of the pipeline's outputs never skip on a fresh clone.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import tarfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.incidents import extract
from downstream_safety.incidents.realdata import (
    Settings,
    real_checks,
    real_shares,
    verdict_counts,
)
from downstream_safety.incidents.snapshot import load_incidents, load_mit, open_snapshot
from downstream_safety.paths import DEFAULT_AIID_SNAPSHOT, ROOT
from tests.incidents.helpers import CROSSWALK, LABELS, needs_snapshot, write

EXTRACT = ROOT / "data/raw/incidents/aiid"
FIELDS = ROOT / "data/raw/incidents/cset_fields.csv"
RULES = ROOT / "data/raw/incidents/keyword_rules.csv"
PROCESSED = ROOT / "data/processed/incidents"


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- independent reading of the raw files ------------------------------------


def _crosswalk() -> tuple[dict[str, list[str]], set[str]]:
    rows = _csv(CROSSWALK)
    cw = {r["mit_code"]: [s for s in r["subtheme_ids"].split(";") if s] for r in rows}
    weak = {r["mit_code"] for r in rows if r["review_note"].startswith("Weak fit")}
    return cw, weak


def _mit_codes(path: Path) -> dict[int, str]:
    return {
        int(r["Incident ID"]): r["Risk Subdomain"].split(" ")[0].rstrip(".") for r in _csv(path)
    }


def _independent_counts(mit_file: Path, incidents_file: Path) -> dict[str, dict[str, int]]:
    """variant -> label -> incidents, for the 874 lowest ids."""
    ids = sorted(int(r["incident_id"]) for r in _csv(incidents_file))[:874]
    mit = _mit_codes(mit_file)
    cw, weak = _crosswalk()
    out = {}
    for variant in ("as_is", "without_weak", "misleading_as_irresponsible"):
        c = Counter()
        for i in ids:
            code = mit.get(i)
            if code is None:
                continue
            labs = set(cw.get(code, []))
            if variant == "without_weak" and code in weak:
                labs = set()
            if variant == "misleading_as_irresponsible" and code == "3.1":
                labs.add("irresponsible_use")
            c.update(labs)
        out[variant] = dict(c)
    return out


def _created(incidents_file: Path) -> list[datetime]:
    out = []
    for r in _csv(incidents_file):
        hexid = r["_id"][len("ObjectId(") : len("ObjectId(") + 8] if "_id" in r else None
        if hexid:
            out.append(datetime.fromtimestamp(int(hexid, 16), tz=UTC))
        else:
            out.append(
                datetime.strptime(r["created_utc"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            )
    return sorted(out)


@needs_snapshot
def test_issue_values_from_the_snapshot_read_with_csv():
    """The values measured independently in the issue, from the snapshot itself."""
    snap = DEFAULT_AIID_SNAPSHOT
    counts = _independent_counts(snap / "classifications_MIT.csv", snap / "incidents.csv")
    ids = sorted(int(r["incident_id"]) for r in _csv(snap / "incidents.csv"))[:874]
    assert (ids[0], ids[-1]) == (1, 885)
    a = counts["as_is"]
    total = sum(a.values())
    assert a["reliability"] == 395 and round(100 * 395 / 874, 1) == 45.2
    assert a["irresponsible_use"] == 88 and round(100 * 88 / 874, 1) == 10.1
    assert round(100 * counts["misleading_as_irresponsible"]["irresponsible_use"] / 874, 1) == 20.1
    assert round(100 * a["harmful_output"] / total, 1) == 20.8
    assert round(100 * a["malicious_use"] / total, 1) == 18.0
    assert "finetune_data" not in a
    created = _created(snap / "incidents.csv")
    assert sum(t < datetime(2025, 2, 1, tzinfo=UTC) for t in created) == 902
    assert created[873].strftime("%Y-%m-%d %H:%M") == "2025-01-05 22:01"
    assert created[874].strftime("%Y-%m-%d %H:%M") == "2025-01-11 23:20"


def _settings() -> Settings:
    return Settings(5.0, "Weak fit", "3.1", "irresponsible_use", "C140", 25)


def test_shares_from_the_extract_equal_an_independent_count():
    """Runs on a fresh clone: the committed extract, read with csv."""
    from downstream_safety.common.tableio import read_csv_text
    from downstream_safety.incidents.realdata import load_extract_incidents, variant_maps

    expected = _independent_counts(EXTRACT / "classifications_MIT.csv", EXTRACT / "incidents.csv")
    inc = load_extract_incidents(EXTRACT)
    ids = sorted(inc["incident_id"])[:874]
    cw = read_csv_text(CROSSWALK)
    shares = real_shares(ids, load_mit(EXTRACT), variant_maps(cw, _settings()), LABELS)
    for variant, counts in expected.items():
        part = shares[shares["variant"] == variant].set_index("subtheme_id")
        total = sum(counts.values())
        for lab in LABELS:
            n = counts.get(lab, 0)
            assert part.loc[lab, "n_labelled"] == n, (variant, lab)
            assert part.loc[lab, "pct_incidents"] == pytest.approx(100 * n / 874)
            assert part.loc[lab, "pct_labels"] == pytest.approx(100 * n / total)


# --- verdicts on a hand-made case --------------------------------------------


def _claims(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    base = [("C001", "874", "count", "incidents__n"), ("C140", "01-02-2025", "date", "")]
    df = pd.DataFrame(base + rows, columns=["claim_id", "published", "unit", "number_key"])
    df["section"], df["quantity"], df["basis"], df["assumption"], df["note"] = "s", "q", "x", "", ""
    return df


def _shares(pct_labels: dict[str, list[float]]) -> pd.DataFrame:
    rows = []
    for lab in LABELS:
        for k, v in enumerate(["as_is", "without_weak", "misleading_as_irresponsible"]):
            pct = pct_labels.get(lab, [0.0, 0.0, 0.0])[k]
            rows.append(
                {"variant": v, "subtheme_id": lab, "n_incidents": 874, "n_classified": 870,
                 "n_labelled": round(pct * 10), "n_labels": 1000, "pct_incidents": pct,
                 "pct_labels": pct, "mapped": lab != "finetune_data"}
            )  # fmt: skip
    return pd.DataFrame(rows)


def test_verdicts_follow_the_tolerance_on_every_variant():
    # Published label shares: 300/1000 = 30 %, 100/1000 = 10 %, 600/1000 = 60 %.
    counts = {"reliability": 300, "harmful_output": 100, "malicious_use": 600}
    rows = [(f"T3_incidents__{lab}", str(counts.get(lab, 0)), "count", f"incidents__{lab}")
            for lab in LABELS]  # fmt: skip
    rows += [
        ("C900", "second", "rank", "rank(incidents__reliability)"),
        ("C901", "15.1", "%", "cooccur_pct__reliability__malicious_use"),
    ]
    claims = _claims(rows)
    shares = _shares(
        {
            "reliability": [34.9, 25.1, 30.0],  # all within 5 pp
            "harmful_output": [16.0, 4.0, 15.5],  # none within
            "malicious_use": [60.0, 20.0, 66.0],  # one of three within
        }
    )
    created = pd.Series(pd.to_datetime(["2025-01-01"] * 874 + ["2025-01-20"] * 3, utc=True))
    inc = pd.DataFrame({"incident_id": range(1, 878), "created": created})
    out = real_checks(claims, "claims.csv", inc, shares, LABELS, _settings()).set_index("claim_id")
    assert out.loc["T3_incidents__reliability", "verdict"] == "corroborated"
    assert out.loc["T3_incidents__harmful_output", "verdict"] == "contradicted"
    assert out.loc["T3_incidents__malicious_use", "verdict"] == "mixed"
    assert out.loc["T3_incidents__finetune_data", "verdict"] == "not_checkable"
    assert out.loc["T3_incidents__reliability", "published_value"] == pytest.approx(30.0)
    # malicious_use has the most labels in the variants as is and misleading; reliability second
    assert out.loc["C900", "real"] == "second; first; second"
    assert out.loc["C900", "verdict"] == "mixed"
    assert out.loc["C901", "verdict"] == "not_checkable"
    # 877 records before 2025-02-01; exactly 874 from 2025-01-01 until 2025-01-20
    assert out.loc["C001", "real"] == "877" and out.loc["C001", "verdict"] == "mixed"
    assert out.loc["C140", "verdict"] == "contradicted"
    assert "2025-01-01 00:00 UTC to 2025-01-20 00:00 UTC" in out.loc["C140", "real"]
    assert sum(verdict_counts(out.reset_index()).values()) == len(out)


# --- the pipeline's outputs (default config: the committed extract) ----------


@pytest.mark.slow
def test_pipeline_real_checks_equal_independent_values(pipeline):
    rows = {r["claim_id"]: r for r in _csv(PROCESSED / "real_checks.csv")}
    expected = _independent_counts(EXTRACT / "classifications_MIT.csv", EXTRACT / "incidents.csv")
    pub = {r["number_key"][len("incidents__"):]: int(r["published"])
           for r in _csv(ROOT / "data/raw/published/claims.csv")
           if r["claim_id"].startswith("T3_incidents__")}  # fmt: skip
    pub_total = sum(pub.values())
    assert pub_total == 1350
    for lab, n_pub in pub.items():
        row = rows[f"T3_incidents__{lab}"]
        if lab == "finetune_data":
            assert row["verdict"] == "not_checkable"
            continue
        real = [
            100 * expected[v].get(lab, 0) / sum(expected[v].values())
            for v in ("as_is", "without_weak", "misleading_as_irresponsible")
        ]
        assert row["real"] == "; ".join(f"{x:.1f}" for x in real)
        within = [abs(x - 100 * n_pub / pub_total) <= 5 for x in real]
        verdict = "corroborated" if all(within) else "contradicted" if not any(within) else "mixed"
        assert row["verdict"] == verdict, lab
    # e.g. harmful output: 20.8 % of labels vs 283/1350 = 21.0 % published
    assert rows["C085"]["verdict"] == "corroborated"
    assert rows["C086"]["verdict"] == "mixed"  # only the misleading variant comes within 5 pp
    created = _created(EXTRACT / "incidents.csv")
    held = sum(t < datetime(2025, 2, 1, tzinfo=UTC) for t in created)
    assert rows["C067"]["real"] == str(held) == "902"
    assert rows["C140"]["real"] == "2025-01-05 22:01 UTC to 2025-01-11 23:20 UTC"
    assert rows["C092"]["real"] == "first and second; first and second; first and second"
    assert rows["C092"]["verdict"] == "contradicted"
    for cid in ("C070", "C135", "C088"):
        assert rows[cid]["verdict"] == "not_checkable" and rows[cid]["reason"]
    # Every check is a claim of basis real in paper/claims.csv, counted in the headline.
    claims = [r for r in _csv(ROOT / "paper/claims.csv") if r["basis"] == "real"]
    assert {r["claim_id"] for r in claims} == {f"{c}_real" for c in rows}
    assert all(r["status"] == rows[r["claim_id"][: -len("_real")]]["verdict"] for r in claims)
    n = Counter(r["verdict"] for r in rows.values())
    sentence = (
        f"{len(rows)} published incident claims checked against real AIID labels: "
        f"{n['corroborated']} corroborated, {n['contradicted']} contradicted, "
        f"{n['mixed']} mixed, {n['not_checkable']} not checkable."
    )
    page = (ROOT / "data/processed/paper/summary.html").read_text(encoding="utf-8")
    assert sentence in page and 'href="#real-data-checks"' in page
    assert 'id="real-data-checks"' in page and "data:image/png;base64," in page
    assert (ROOT / "paper/figures/real_checks.png").stat().st_size > 0


# --- CSET agreement reference against hand formulas --------------------------


def _alpha_nominal(units: list[list[str]]) -> float:
    """Krippendorff's alpha (nominal) from the coincidence matrix, by hand."""
    o = Counter()
    for vals in units:
        m = len(vals)
        if m < 2:
            continue
        for i, a in enumerate(vals):
            for j, b in enumerate(vals):
                if i != j:
                    o[(a, b)] += 1 / (m - 1)
    n_c = Counter()
    for (a, _b), w in o.items():
        n_c[a] += w
    n = sum(n_c.values())
    d_o = sum(w for (a, b), w in o.items() if a != b)
    d_e = sum(n_c[a] * n_c[b] for a in n_c for b in n_c if a != b) / (n - 1)
    return 1 - d_o / d_e


def _cset_units(field_col: int) -> dict[int, dict[int, str]]:
    units: dict[int, dict[int, str]] = {}
    for k in (1, 2, 3):
        path = DEFAULT_AIID_SNAPSHOT / f"classifications_CSETv1_Annotator-{k}.csv"
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        for r in rows[1:]:
            v = r[field_col].strip()
            if v:
                units.setdefault(int(r[1]), {})[k] = v
    return units


@needs_snapshot
@pytest.mark.parametrize(
    ("field", "col"), [("Physical Objects", 8), ("Harm Domain", 16), ("AI System #2", 31)]
)
def test_cset_alpha_and_kappa_equal_hand_formulas(field, col, tmp_path):
    from downstream_safety.incidents.realdata import cset_agreement, load_cset

    units = _cset_units(col)
    shared = [list(v.values()) for v in units.values() if len(v) >= 2]
    fields = extract.load_fields(FIELDS)
    alpha, pairs = cset_agreement(load_cset(EXTRACT, fields), fields, 25)
    row = alpha.set_index("field").loc[field]
    assert row["n_incidents"] == len(shared)
    assert row["alpha"] == pytest.approx(_alpha_nominal(shared), abs=1e-9)
    # Cohen's kappa for files 1 and 2 by hand
    both = [(v[1], v[2]) for v in units.values() if 1 in v and 2 in v]
    po = sum(a == b for a, b in both) / len(both)
    ca, cb = Counter(a for a, _ in both), Counter(b for _, b in both)
    pe = sum(ca[c] * cb[c] for c in ca) / len(both) ** 2
    got = pairs.set_index(["field", "annotator_file_a", "annotator_file_b"]).loc[(field, 1, 2)]
    assert got["n_incidents"] == len(both)
    assert got["kappa"] == pytest.approx((po - pe) / (1 - pe), abs=1e-9)


@pytest.mark.slow
def test_cset_summary_in_the_report(pipeline):
    rows = _csv(PROCESSED / "cset_agreement.csv")
    nominal = sorted(float(r["alpha"]) for r in rows if r["measure"] == "nominal" and r["alpha"])
    kinds = Counter(r["kind"] for r in _csv(FIELDS))
    assert len(nominal) == kinds["nominal"] and len(rows) == sum(kinds.values())
    k = len(nominal)
    median = nominal[k // 2] if k % 2 else (nominal[k // 2 - 1] + nominal[k // 2]) / 2
    page = (ROOT / "data/processed/paper/summary.html").read_text(encoding="utf-8")
    assert f"median {median:.2f} over {k} nominal fields" in page
    pairs = _csv(PROCESSED / "cset_pairs.csv")
    assert pairs and all(int(p["n_incidents"]) >= 25 for p in pairs)


# --- keyword pre-annotation quality, independently -----------------------------


@needs_snapshot
def test_keyword_quality_equals_an_independent_count():
    from downstream_safety.common.tableio import read_csv_text
    from downstream_safety.incidents.enrich import keyword_suggestions
    from downstream_safety.incidents.realdata import keyword_quality

    snap = DEFAULT_AIID_SNAPSHOT
    rules = _csv(ROOT / "data/raw/incidents/keyword_rules.csv")
    cw, _ = _crosswalk()
    mit = _mit_codes(snap / "classifications_MIT.csv")
    kw = {}
    for r in _csv(snap / "incidents.csv"):
        text = f"{r['title'].strip()} {r['description']}"
        kw[int(r["incident_id"])] = {
            x["subtheme_id"] for x in rules if re.search(x["pattern"], text, flags=re.IGNORECASE)
        }
    ids = sorted(i for i in mit if i in kw)
    tp = fp = fn = tn = 0
    per = {}
    for lab in LABELS:
        a = [lab in kw[i] for i in ids]
        b = [lab in cw.get(mit[i], []) for i in ids]
        t = sum(x and y for x, y in zip(a, b, strict=True))
        per[lab] = (t, sum(a), sum(b))
        tp, fp = tp + t, fp + sum(a) - t
        fn = fn + sum(b) - t
        tn = tn + sum((not x) and (not y) for x, y in zip(a, b, strict=True))
    n = tp + fp + fn + tn
    po = (tp + tn) / n
    pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / n**2
    kappa = (po - pe) / (1 - pe)
    assert round(kappa, 2) == 0.49  # the issue's independent measurement
    t, k, c = per["irresponsible_use"]
    f1 = 2 * t / (k + c)
    assert round(f1, 2) == 0.08
    # the package on the same snapshot
    s = open_snapshot(snap)
    inc = load_incidents(s)
    rules_df = read_csv_text(ROOT / "data/raw/incidents/keyword_rules.csv")
    sugg = {
        i: frozenset(keyword_suggestions(f"{ti} {d}", rules_df)[0])
        for i, ti, d in inc[["incident_id", "title", "description"]].itertuples(index=False)
    }
    q = keyword_quality(sugg, load_mit(s), read_csv_text(CROSSWALK), LABELS).set_index(
        "subtheme_id"
    )
    assert q.loc["all", "kappa"] == pytest.approx(kappa, abs=1e-9)
    assert q.loc["irresponsible_use", "f1"] == pytest.approx(f1, abs=1e-9)
    assert math.isnan(q.loc["finetune_data", "recall"])  # no crosswalk label to recall


def _independent_suggestions(incidents_csv: Path) -> dict[int, set[str]]:
    rules = _csv(RULES)
    out = {}
    for r in _csv(incidents_csv):
        text = f"{r['title'].strip()} {r['description']}"
        out[int(r["incident_id"])] = {
            x["subtheme_id"] for x in rules if re.search(x["pattern"], text, flags=re.IGNORECASE)
        }
    return out


@needs_snapshot
def test_committed_suggestions_equal_the_rules_applied_to_the_snapshot_texts():
    expected = _independent_suggestions(DEFAULT_AIID_SNAPSHOT / "incidents.csv")
    got = {
        int(r["incident_id"]): r["suggested_labels"]
        for r in _csv(EXTRACT / "keyword_suggestions.csv")
    }
    assert sorted(got) == sorted(expected)
    assert got == {i: ";".join(sorted(v)) for i, v in expected.items()}


def _hand_quality(suggested: dict[int, set[str]]) -> dict[str, dict[str, float]]:
    """Per label and pooled counts, F1 and kappa by hand (no package code)."""
    cw, _ = _crosswalk()
    mit = _mit_codes(EXTRACT / "classifications_MIT.csv")
    ids = sorted(i for i in mit if i in suggested)
    out, pooled = {}, [0, 0, 0, 0]
    for lab in LABELS:
        a = [lab in suggested[i] for i in ids]
        b = [lab in cw.get(mit[i], []) for i in ids]
        tp = sum(x and y for x, y in zip(a, b, strict=True))
        fp, fn = sum(a) - tp, sum(b) - tp
        tn = len(ids) - tp - fp - fn
        out[lab] = (tp, fp, fn, tn)
        pooled = [p + q for p, q in zip(pooled, (tp, fp, fn, tn), strict=True)]
    out["all"] = tuple(pooled)
    res = {}
    for lab, (tp, fp, fn, tn) in out.items():
        n = tp + fp + fn + tn
        po = (tp + tn) / n
        pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / n**2
        res[lab] = {
            "n_incidents": len(ids),
            "n_keywords": tp + fp,
            "n_crosswalk": tp + fn,
            "n_both": tp,
            "f1": 2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) else math.nan,
            "kappa": (po - pe) / (1 - pe) if pe != 1 else math.nan,
        }
    return res


@pytest.mark.slow
def test_pipeline_keyword_quality_from_the_extract_equals_a_hand_count(pipeline):
    suggested = {
        int(r["incident_id"]): set(filter(None, r["suggested_labels"].split(";")))
        for r in _csv(EXTRACT / "keyword_suggestions.csv")
    }
    expected = _hand_quality(suggested)
    got = {r["subtheme_id"]: r for r in _csv(PROCESSED / "keyword_quality.csv")}
    assert sorted(got) == sorted(expected)
    for lab, exp in expected.items():
        for k in ("n_incidents", "n_keywords", "n_crosswalk", "n_both"):
            assert int(got[lab][k]) == exp[k], (lab, k)
        for k in ("f1", "kappa"):
            assert float(got[lab][k]) == pytest.approx(exp[k], abs=1e-9), (lab, k)
    assert round(expected["all"]["kappa"], 2) == 0.49  # the issue's measurement
    assert round(expected["irresponsible_use"]["f1"], 2) == 0.08
    page = (ROOT / "data/processed/paper/summary.html").read_text(encoding="utf-8")
    assert "Keyword pre-annotation quality" in page and "Not computed in this run" not in page


@needs_snapshot
def test_keyword_quality_of_the_extract_equals_the_snapshot_texts():
    """The extract's suggestions give the quality the snapshot's texts give."""
    from downstream_safety.incidents.load import Taxonomy
    from downstream_safety.incidents.realdata import keyword_quality, load_keyword_suggestions

    texts = _hand_quality(_independent_suggestions(DEFAULT_AIID_SNAPSHOT / "incidents.csv"))
    q = keyword_quality(
        load_keyword_suggestions(EXTRACT, Taxonomy("RQ1", LABELS)),
        load_mit(EXTRACT),
        pd.read_csv(CROSSWALK, dtype=str, keep_default_na=False),
        LABELS,
    ).set_index("subtheme_id")
    for lab, exp in texts.items():
        assert int(q.loc[lab, "n_both"]) == exp["n_both"], lab
        assert q.loc[lab, "kappa"] == pytest.approx(exp["kappa"], abs=1e-9, nan_ok=True), lab


@pytest.mark.bad_input
def test_changed_keyword_rules_are_refused(tmp_path):
    from downstream_safety.incidents.realdata import check_rules_recorded

    check_rules_recorded(EXTRACT, RULES)  # the committed pair agrees
    changed = write(tmp_path / "keyword_rules.csv", RULES.read_text(encoding="utf-8") + "\n")
    with pytest.raises(InputError, match="differ from those") as e:
        check_rules_recorded(EXTRACT, changed)
    msg = str(e.value)
    assert "keyword_rules.csv" in e.value.file and "keyword_suggestions.csv" in msg
    assert "README.md" in msg and "aiid-extract SNAPSHOT" in msg and "restore" in msg
    folder = tmp_path / "aiid"
    folder.mkdir()
    write(folder / "README.md", "# no record\n")
    with pytest.raises(InputError, match="does not record the keyword rules"):
        check_rules_recorded(folder, RULES)
    with pytest.raises(InputError, match="holds no AIID extract") as e:
        check_rules_recorded(tmp_path / "nothing", RULES)
    assert "real_checks: null" in str(e.value) and "aiid-extract" in str(e.value)


# --- the extract and the archive ---------------------------------------------


@needs_snapshot
def test_extract_command_reproduces_the_committed_bytes(tmp_path):
    out = tmp_path / "aiid"
    argv = [str(DEFAULT_AIID_SNAPSHOT), "--out", str(out), "--fields", str(FIELDS)]
    assert extract.main([*argv, "--keyword-rules", str(RULES)]) == 0
    assert "keyword_suggestions.csv" in extract.EXTRACT_FILES
    for name in extract.EXTRACT_FILES:
        assert (out / name).read_bytes() == (EXTRACT / name).read_bytes(), name
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in EXTRACT.iterdir())


def test_extract_holds_no_texts_and_names_its_sources():
    header = (EXTRACT / "incidents.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "incident_id,date,created_utc"
    names = ("incidents.csv", "classifications_MIT.csv", "cset_annotators.csv")
    for name in (*names, "keyword_suggestions.csv"):
        head = (EXTRACT / name).read_text(encoding="utf-8").splitlines()[0].lower()
        assert "title" not in head and "description" not in head and "reports" not in head
    kw = _csv(EXTRACT / "keyword_suggestions.csv")
    assert list(kw[0]) == ["incident_id", "suggested_labels"]
    for r in kw:  # labels only: nothing but known label ids
        assert set(filter(None, r["suggested_labels"].split(";"))) <= set(LABELS)
    readme = (EXTRACT / "README.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in readme and "aiid-snapshot-2025-03" in readme
    # the 5 source files and the keyword rules
    assert len(re.findall(r"`[0-9a-f]{64}`", readme)) == 6
    sha = hashlib.sha256(RULES.read_bytes()).hexdigest()
    assert f"Keyword rules: `keyword_rules.csv`, SHA-256 `{sha}`." in readme.splitlines()
    licence = (EXTRACT / "LICENSE.txt").read_text(encoding="utf-8")
    assert licence.startswith("Attribution-ShareAlike 4.0 International")


def _archive(tmp_path: Path, members: dict[str, bytes], name="backup-20250324.tar.bz2") -> Path:
    path = tmp_path / name
    with tarfile.open(path, "w:bz2") as tf:
        for arc, data in members.items():
            info = tarfile.TarInfo(arc)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


@needs_snapshot
def test_archive_reads_as_its_folder(tmp_path):
    files = {f"mongodump_full_snapshot/{p.name}": p.read_bytes()
             for p in sorted(DEFAULT_AIID_SNAPSHOT.iterdir()) if p.suffix == ".csv"}  # fmt: skip
    path = _archive(tmp_path, files)
    snap = open_snapshot(path)
    assert snap.name == "backup-20250324"
    folder = open_snapshot(DEFAULT_AIID_SNAPSHOT)
    pd.testing.assert_frame_equal(load_incidents(snap), load_incidents(folder))
    assert snap.sha256("incidents.csv") == folder.sha256("incidents.csv")
    assert snap.input_files() == [str(path)]
    got = extract.build(path, FIELDS)
    for name in ("incidents.csv", "classifications_MIT.csv", "cset_annotators.csv"):
        assert got[name] == (EXTRACT / name).read_bytes()
    assert "Snapshot: `backup-20250324`" in got["README.md"].decode()


@pytest.mark.bad_input
def test_archive_refusals(tmp_path):
    bad = write(tmp_path / "backup-1.tar.bz2", "not an archive")
    with pytest.raises(InputError, match="not a readable .tar.bz2 archive"):
        open_snapshot(bad)
    empty = _archive(tmp_path, {"csv/other.csv": b"a\n1\n"}, "backup-2.tar.bz2")
    with pytest.raises(InputError, match="holds no incidents.csv") as e:
        open_snapshot(empty)
    assert "csv/other.csv" in e.value.values
    two = _archive(
        tmp_path, {"a/incidents.csv": b"x\n", "b/incidents.csv": b"x\n"}, "backup-3.tar.bz2"
    )
    with pytest.raises(InputError, match="more than one folder"):
        open_snapshot(two)
    csv_file = write(tmp_path / "incidents.csv", "a\n")
    with pytest.raises(InputError, match="not a .tar.bz2 archive"):
        open_snapshot(csv_file)


@pytest.mark.bad_input
def test_snapshot_without_mit_file_is_refused(tmp_path):
    from tests.incidents.helpers import fake_snapshot

    snap = fake_snapshot(tmp_path / "snap")
    with pytest.raises(InputError, match="has no classifications_MIT.csv") as e:
        load_mit(snap)
    assert e.value.file.endswith("classifications_MIT.csv")


@pytest.mark.bad_input
def test_bad_object_id_is_refused(tmp_path):
    from tests.incidents.helpers import fake_snapshot

    snap = fake_snapshot(tmp_path / "snap")
    text = (snap / "incidents.csv").read_text().replace("ObjectId(000000000000000000000002)", "x2")
    (snap / "incidents.csv").write_text(text)
    with pytest.raises(InputError, match="ObjectId") as e:
        load_incidents(snap)
    assert e.value.rows == [3] and e.value.column == "_id"


@pytest.mark.bad_input
def test_extract_refuses_a_field_the_export_lacks(tmp_path):
    from tests.incidents.helpers import fake_snapshot

    snap = fake_snapshot(tmp_path / "snap", mit={1: "7.3. Lack of capability"})
    write(
        snap / "classifications_CSETv1_Annotator-1.csv",
        "Incident ID,Annotator,Deployed\n1,005,yes\n",
    )
    fields = write(
        tmp_path / "f.csv",
        "field,occurrence,kind,note\nDeployed,1,nominal,\nHarm Domain,1,nominal,\n",
    )
    with pytest.raises(InputError, match="differs from the official CSET v1 export") as e:
        extract.build(snap, fields)
    assert e.value.column == "Harm Domain"
    assert not (tmp_path / "out").exists()
