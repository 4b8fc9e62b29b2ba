"""Schemas of the incident stage's raw and processed tables.

The label columns name the research question whose subthemes are the labels
(``incidents.taxonomy_rq``), so the schemas holding them are built from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandera.pandas as pa

if TYPE_CHECKING:
    from downstream_safety.instruments.design import Design

SUBTHEME = r"^[a-z][a-z0-9_]*$"
LABEL_LIST = r"^([a-z][a-z0-9_]*(;[a-z][a-z0-9_]*)*)?$"
ROUND = r"^[a-z][a-z0-9_]*$"

_INCIDENT_ID = pa.Column(
    int,
    pa.Check.ge(1),
    description="AI Incident Database incident id (positive integer)",
    metadata={"fix": "use the numeric incident_id of the AI Incident Database"},
)


def labels_column(rq: str) -> pa.Column:
    return pa.Column(
        str,
        pa.Check.str_matches(LABEL_LIST),
        description=f"';'-separated {rq} subtheme ids, empty when none applies",
        metadata={"fix": "write subtheme ids separated by ';' without spaces, e.g. a_id;b_id"},
    )


def annotations(rq: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "incident_id": _INCIDENT_ID,
            "annotator": pa.Column(
                str,
                pa.Check.str_matches(r"^[A-Za-z0-9_]+$"),
                description="annotator code (letters, digits, '_')",
            ),
            "round": pa.Column(
                str,
                pa.Check.str_matches(ROUND),
                description="annotation round id, e.g. calibration_1 or round_3",
                metadata={"fix": "name rounds calibration_<n> or round_<n>"},
            ),
            "labels": labels_column(rq),
        },
        strict=True,
        coerce=True,
        name="incident_annotations",
        description="Reconstructed per-annotator incident labels (not the study's original data)",
    )


def adjudicated(rq: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {"incident_id": _INCIDENT_ID, "labels": labels_column(rq)},
        strict=True,
        coerce=True,
        unique=["incident_id"],
        name="incident_adjudicated",
        description="Reconstructed adjudicated incident labels (not the study's original data)",
        metadata={"fix": "list every incident once"},
    )


def crosswalk(rq: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "mit_code": pa.Column(
                str,
                pa.Check.str_matches(r"^[0-9]+\.[0-9]+$"),
                unique=True,
                description="MIT AI Risk Repository subdomain code, e.g. 7.3",
            ),
            "mit_subdomain": pa.Column(str, pa.Check.str_length(min_value=1)),
            "subtheme_ids": labels_column(rq),
            "review_note": pa.Column(str, pa.Check.str_length(min_value=1)),
        },
        strict=True,
        coerce=True,
        name="mit_crosswalk",
        description=f"MIT risk subdomain to {rq} concern subtheme crosswalk, reviewed row by row",
    )


KEYWORD_RULES = pa.DataFrameSchema(
    {
        "subtheme_id": pa.Column(str, pa.Check.str_matches(SUBTHEME)),
        "pattern": pa.Column(
            str,
            pa.Check.str_length(min_value=1),
            description="case-insensitive regular expression",
        ),
        "note": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    coerce=True,
    unique=["subtheme_id", "pattern"],
    name="keyword_rules",
    description="Keyword suggestions for pre-annotating incidents without an MIT classification",
)

SUBTHEME_COUNTS = pa.DataFrameSchema(
    {
        "subtheme_id": pa.Column(str, pa.Check.str_matches(SUBTHEME), unique=True),
        "n_incidents": pa.Column(int, pa.Check.ge(0)),
        "pct": pa.Column(
            float, pa.Check.in_range(0, 100), description="percent of all annotated incidents"
        ),
    },
    strict=True,
    coerce=True,
    name="subtheme_counts",
)

COOCCURRENCE = pa.DataFrameSchema(
    {
        "subtheme_a": pa.Column(str, pa.Check.str_matches(SUBTHEME)),
        "subtheme_b": pa.Column(str, pa.Check.str_matches(SUBTHEME)),
        "n_incidents": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
    coerce=True,
    unique=["subtheme_a", "subtheme_b"],
    name="cooccurrence",
)


def _kappa(description: str) -> pa.Column:
    return pa.Column(float, pa.Check.in_range(-1, 1), nullable=True, description=description)


def _share(description: str) -> pa.Column:
    return pa.Column(float, pa.Check.in_range(0, 1), nullable=True, description=description)


AGREEMENT = pa.DataFrameSchema(
    {
        "round": pa.Column(
            str,
            unique=True,
            description="round id, or 'calibration' for the calibration rounds together",
        ),
        "n_incidents": pa.Column(
            int, pa.Check.ge(0), description="incidents labelled by both annotators"
        ),
        "kappa": _kappa("Cohen's kappa over the incident x label binary decisions"),
        "kappa_label_mean": _kappa("mean of the per-label Cohen's kappas that are defined"),
        "agreement_decisions": _share(
            "share of incident x label decisions on which the annotators agree"
        ),
        "agreement_exact": _share("share of incidents with identical label sets"),
        "alpha_masi": pa.Column(
            float,
            pa.Check.le(1),
            nullable=True,
            description="Krippendorff's alpha over label sets with the MASI distance",
        ),
    },
    strict=True,
    coerce=True,
    name="agreement",
)

AGREEMENT_LABELS = pa.DataFrameSchema(
    {
        "round": pa.Column(str),
        "subtheme_id": pa.Column(str, pa.Check.str_matches(SUBTHEME)),
        "n_incidents": pa.Column(int, pa.Check.ge(0)),
        "n_first": pa.Column(
            int, pa.Check.ge(0), description="incidents the first annotator labelled"
        ),
        "n_second": pa.Column(
            int, pa.Check.ge(0), description="incidents the second annotator labelled"
        ),
        "kappa": _kappa("Cohen's kappa (empty when undefined)"),
        "agreement": _share("raw agreement"),
        "alpha_nominal": pa.Column(
            float, pa.Check.le(1), nullable=True, description="Krippendorff's alpha, nominal"
        ),
    },
    strict=True,
    coerce=True,
    unique=["round", "subtheme_id"],
    name="agreement_labels",
)


def enriched(rq: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "incident_id": pa.Column(int, pa.Check.ge(1), unique=True),
            "date": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
            "year": pa.Column(int),
            "title": pa.Column(str),
            "labels": labels_column(rq),
            "mit_code": pa.Column(str, description="MIT subdomain code, empty if unclassified"),
        },
        strict=True,
        coerce=True,
        name="incidents_enriched",
    )


PER_YEAR = pa.DataFrameSchema(
    {
        "year": pa.Column(int),
        "subtheme_id": pa.Column(str, pa.Check.str_matches(SUBTHEME)),
        "n_incidents": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
    coerce=True,
    unique=["year", "subtheme_id"],
    name="incidents_per_year",
)

CROSSWALK_AGREEMENT = pa.DataFrameSchema(
    {
        "subtheme_id": pa.Column(
            str, unique=True, description="subtheme id, or 'all' for the pooled row"
        ),
        "n_incidents": pa.Column(
            int, pa.Check.ge(0), description="annotated incidents with an MIT classification"
        ),
        "n_crosswalk": pa.Column(int, pa.Check.ge(0)),
        "n_annotated": pa.Column(int, pa.Check.ge(0)),
        "kappa": _kappa("Cohen's kappa, crosswalk vs adjudicated labels"),
        "agreement": _share("raw agreement"),
        "alpha_masi": pa.Column(
            float, pa.Check.le(1), nullable=True, description="only on the 'all' row"
        ),
    },
    strict=True,
    coerce=True,
    name="crosswalk_agreement",
)


def worksheet(rq: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "incident_id": pa.Column(int, pa.Check.ge(1), unique=True),
            "date": pa.Column(str),
            "title": pa.Column(str),
            "suggested_labels": labels_column(rq),
            "source": pa.Column(str, pa.Check.isin(["mit_crosswalk", "keywords", "none"])),
            "evidence": pa.Column(
                str, description="MIT subdomain code or the keyword rules that fired"
            ),
            "labels": pa.Column(str, description="to be filled in by the annotators"),
        },
        strict=True,
        coerce=True,
        name="preannotation_worksheet",
    )


def tables(design: Design) -> dict[str, pa.DataFrameSchema]:
    """Every table of the stage (raw tables at their default paths), for the data packages."""
    rq = design.taxonomy_rq or ""
    return {
        "data/raw/incidents/annotations.csv": annotations(rq),
        "data/raw/incidents/adjudicated.csv": adjudicated(rq),
        "data/raw/incidents/mit_crosswalk.csv": crosswalk(rq),
        "data/raw/incidents/keyword_rules.csv": KEYWORD_RULES,
        "data/processed/incidents/subtheme_counts.csv": SUBTHEME_COUNTS,
        "data/processed/incidents/cooccurrence.csv": COOCCURRENCE,
        "data/processed/incidents/agreement.csv": AGREEMENT,
        "data/processed/incidents/agreement_labels.csv": AGREEMENT_LABELS,
        "data/processed/incidents/incidents_enriched.csv": enriched(rq),
        "data/processed/incidents/incidents_per_year.csv": PER_YEAR,
        "data/processed/incidents/crosswalk_agreement.csv": CROSSWALK_AGREEMENT,
        "data/processed/incidents/preannotation_worksheet.csv": worksheet(rq),
    }
