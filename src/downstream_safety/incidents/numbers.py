"""The incident stage's numbers for the paper (see common.numbers)."""

from __future__ import annotations

import pandas as pd

from downstream_safety.common.number_keys import key
from downstream_safety.common.numbers import numbers_frame
from downstream_safety.incidents.agreement import CALIBRATION


def incident_numbers(
    annotations: pd.DataFrame,
    adjudicated: pd.DataFrame,
    counts: pd.DataFrame,
    cooc: pd.DataFrame,
    agreement: pd.DataFrame,
) -> pd.DataFrame:
    n = len(adjudicated)
    rows = [
        ("incidents__n", n, "annotated incidents (adjudicated set)"),
        (
            "incidents__labels_total",
            int(counts["n_incidents"].sum()),
            "subtheme labels over all annotated incidents",
        ),
        (
            "incidents__unlabelled",
            int((adjudicated["labels"] == "").sum()),
            "annotated incidents with no concern subtheme",
        ),
        ("annotation__annotators", annotations["annotator"].nunique(), "annotators"),
        (
            "annotation__rounds",
            annotations["round"].nunique(),
            "annotation rounds, calibration rounds included",
        ),
    ]
    calib = agreement[agreement["round"].str.startswith(CALIBRATION + "_")]
    later = agreement[~agreement["round"].str.startswith(CALIBRATION)]
    rows.append(("annotation__calibration_rounds", len(calib), "calibration rounds"))
    if len(calib):
        rows.append(
            (
                "annotation__calibration_size",
                int(calib["n_incidents"].max()),
                "incidents per calibration round (largest)",
            )
        )
    if len(later):
        rows.append(
            (
                "annotation__round_size",
                int(later["n_incidents"].max()),
                "incidents per later round (largest)",
            )
        )
    for sub, k, pct in counts[["subtheme_id", "n_incidents", "pct"]].itertuples(index=False):
        rows.append((key("incidents", sub), k, f"incidents labelled {sub}"))
        rows.append(
            (key("incidents_pct", sub), pct, f"percent of annotated incidents labelled {sub}")
        )
    for a, b, k in cooc[["subtheme_a", "subtheme_b", "n_incidents"]].itertuples(index=False):
        rows.append((key("cooccur", a, b), k, f"incidents labelled both {a} and {b}"))
        rows.append(
            (
                key("cooccur_pct", a, b),
                100.0 * k / n if n else 0.0,
                f"percent of annotated incidents labelled both {a} and {b}",
            )
        )
    for r in agreement.itertuples(index=False):
        if not pd.isna(r.kappa):
            rows.append(
                (
                    key("kappa", r.round),
                    r.kappa,
                    f"Cohen's kappa over incident x label decisions, {r.round}",
                )
            )
        if not pd.isna(r.kappa_label_mean):
            rows.append(
                (
                    key("kappa_label_mean", r.round),
                    r.kappa_label_mean,
                    f"mean per-label Cohen's kappa, {r.round}",
                )
            )
        if not pd.isna(r.alpha_masi):
            rows.append(
                (
                    key("alpha_masi", r.round),
                    r.alpha_masi,
                    f"Krippendorff's alpha with MASI distance, {r.round}",
                )
            )
        rows.append(
            (
                key("agreement", r.round),
                r.agreement_decisions,
                f"raw agreement on incident x label decisions, {r.round}",
            )
        )
    return numbers_frame(rows)
