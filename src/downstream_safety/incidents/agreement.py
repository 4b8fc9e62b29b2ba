"""Inter-annotator agreement on multi-label incident annotations.

Three views of the same decisions, each from a maintained implementation:
Cohen's kappa (scikit-learn) per label and over the pooled incident x label
binary decisions, Krippendorff's alpha per label (``krippendorff``), and
Krippendorff's alpha over whole label sets with the MASI distance (nltk).
The headline kappa of the study is the pooled one (see docs/incidents.md).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from downstream_safety.incidents.labels import indicator, parse

CALIBRATION = "calibration"
# scikit-learn, krippendorff and nltk are imported where used: the numbers job
# reads CALIBRATION from here and computes no agreement.


def cohen_kappa(a, b) -> float:
    """Cohen's kappa, NaN when undefined (both raters constant on the same value)."""
    a, b = np.asarray(a), np.asarray(b)
    if len(a) == 0 or len(set(a.tolist()) | set(b.tolist())) < 2:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        from sklearn.metrics import cohen_kappa_score

        return float(cohen_kappa_score(a, b))


def raw_agreement(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.mean(a == b)) if len(a) else float("nan")


def alpha_nominal(matrix) -> float:
    """Krippendorff's alpha for a coders x items matrix (NaN = missing)."""
    m = np.asarray(matrix, dtype=float)
    values = set(m[~np.isnan(m)].tolist())
    if len(values) < 2:
        return float("nan")
    import krippendorff

    return float(krippendorff.alpha(reliability_data=m, level_of_measurement="nominal"))


def _masi(a: frozenset, b: frozenset) -> float:
    # nltk's masi_distance divides by the size of the union, so two empty sets
    # ("no subtheme applies" from both coders) would divide by zero: they agree.
    if not a and not b:
        return 0.0
    from nltk.metrics.distance import masi_distance

    return masi_distance(set(a), set(b))


def alpha_masi(long: pd.DataFrame) -> float:
    """Krippendorff's alpha over label sets; ``long`` has coder, item, labels (frozensets)."""
    data = [
        (str(c), str(i), frozenset(s))
        for c, i, s in long[["coder", "item", "labels"]].itertuples(index=False)
    ]
    if len({d[2] for d in data}) < 2:
        return float("nan")
    from nltk.metrics.agreement import AnnotationTask

    return float(AnnotationTask(data=data, distance=_masi).alpha())


def pair_frame(ann: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Incidents labelled by the first two annotators (sorted codes) side by side."""
    coders = sorted(ann["annotator"].unique())[:2]
    if len(coders) < 2:
        return pd.DataFrame(columns=["item", "first", "second"]), coders
    key = ["round", "incident_id"]
    a = ann.loc[ann["annotator"] == coders[0], [*key, "labels"]]
    b = ann.loc[ann["annotator"] == coders[1], [*key, "labels"]]
    both = a.merge(b, on=key, suffixes=("_a", "_b")).sort_values(key)
    out = pd.DataFrame(
        {
            "item": both["round"] + "/" + both["incident_id"].astype(str),
            "first": both["labels_a"].map(parse).tolist(),
            "second": both["labels_b"].map(parse).tolist(),
        }
    ).reset_index(drop=True)
    return out, coders


def _round_rows(name: str, ann: pd.DataFrame, labels: list[str]) -> tuple[dict, list[dict]]:
    pairs, _ = pair_frame(ann)
    x = indicator(pairs["first"], labels)
    y = indicator(pairs["second"], labels)
    per_label = []
    for j, lab in enumerate(labels):
        per_label.append(
            {
                "round": name,
                "subtheme_id": lab,
                "n_incidents": len(pairs),
                "n_first": int(x[:, j].sum()),
                "n_second": int(y[:, j].sum()),
                "kappa": cohen_kappa(x[:, j], y[:, j]),
                "agreement": raw_agreement(x[:, j], y[:, j]),
                "alpha_nominal": alpha_nominal(np.vstack([x[:, j], y[:, j]])),
            }
        )
    kappas = [r["kappa"] for r in per_label if not np.isnan(r["kappa"])]
    long = pd.concat(
        [
            pd.DataFrame({"coder": "first", "item": pairs["item"], "labels": pairs["first"]}),
            pd.DataFrame({"coder": "second", "item": pairs["item"], "labels": pairs["second"]}),
        ]
    )
    row = {
        "round": name,
        "n_incidents": len(pairs),
        "kappa": cohen_kappa(x.ravel(), y.ravel()),
        "kappa_label_mean": float(np.mean(kappas)) if kappas else float("nan"),
        "agreement_decisions": raw_agreement(x.ravel(), y.ravel()),
        "agreement_exact": float(
            np.mean([a == b for a, b in zip(pairs["first"], pairs["second"], strict=True)])
        )
        if len(pairs)
        else float("nan"),
        "alpha_masi": alpha_masi(long) if len(pairs) else float("nan"),
    }
    return row, per_label


def round_order(rounds) -> list[str]:
    """Natural order: calibration_1, calibration_2, round_1, ..., round_10."""

    def key(r: str):
        return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", r)]

    return sorted(set(rounds), key=key)


def round_groups(ann: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """(name, rows) per round in natural order, the calibration rounds together
    inserted after the last calibration round."""
    rounds = round_order(ann["round"])
    groups = [(r, ann[ann["round"] == r]) for r in rounds]
    calib = [r for r in rounds if r.startswith(CALIBRATION)]
    if calib:
        groups.insert(len(calib), (CALIBRATION, ann[ann["round"].isin(calib)]))
    return groups


def agreement_tables(ann: pd.DataFrame, labels: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per round, plus the calibration rounds together (row 'calibration')."""
    rows, per_label = [], []
    for name, sub in round_groups(ann):
        row, lab_rows = _round_rows(name, sub, labels)
        rows.append(row)
        per_label.extend(lab_rows)
    return pd.DataFrame(rows), pd.DataFrame(per_label)
