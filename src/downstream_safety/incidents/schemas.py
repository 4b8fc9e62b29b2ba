"""Schemas of the incident stage's raw and processed tables.

The label columns name the research question whose subthemes are the labels
(``incidents.taxonomy_rq``), so the schemas holding them are built from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandera.pandas as pa

if TYPE_CHECKING:
    from downstream_safety.instruments.design import Design

# Labels are the design's free-form subtheme ids (instruments.schemas.ID), so ';'
# can separate them.
_ONE = r"[A-Za-z0-9][A-Za-z0-9._-]*"
SUBTHEME = rf"^{_ONE}$"
LABEL_LIST = rf"^({_ONE}(;{_ONE})*)?$"
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


VERDICTS = ["corroborated", "contradicted", "mixed", "not_checkable"]
VARIANTS = ["as_is", "without_weak", "misleading_as_irresponsible"]
_PCT = pa.Column(float, pa.Check.in_range(0, 100), nullable=True)

CSET_FIELDS = pa.DataFrameSchema(
    {
        "field": pa.Column(str, pa.Check.str_length(min_value=1)),
        "occurrence": pa.Column(int, pa.Check.ge(1), description="n-th column of that name"),
        "kind": pa.Column(str, pa.Check.isin(["nominal", "multi"])),
        "note": pa.Column(str),
    },
    strict=True,
    coerce=True,
    unique=["field", "occurrence"],
    name="cset_fields",
    description="CSET v1 closed-vocabulary fields the agreement reference uses",
)

AIID_INCIDENTS = pa.DataFrameSchema(
    {
        "incident_id": pa.Column(int, pa.Check.ge(1), unique=True),
        "date": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
        "created_utc": pa.Column(
            str,
            pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"),
            description="record creation time decoded from the _id ObjectId",
        ),
    },
    strict=True,
    coerce=True,
    name="aiid_incidents",
    description="AIID extract: incident ids, dates and creation times (CC BY-SA 4.0)",
)

AIID_MIT = pa.DataFrameSchema(
    {
        "Incident ID": pa.Column(int, pa.Check.ge(1)),
        "Risk Domain": pa.Column(str),
        "Risk Subdomain": pa.Column(str),
        "Entity": pa.Column(str),
        "Timing": pa.Column(str),
        "Intent": pa.Column(str),
    },
    strict=True,
    coerce=True,
    name="aiid_mit",
    description="AIID extract: MIT AI Risk Repository classification (CC BY-SA 4.0)",
)

AIID_KEYWORDS = pa.DataFrameSchema(
    {
        "incident_id": pa.Column(int, pa.Check.ge(1), unique=True),
        "suggested_labels": pa.Column(
            str,
            pa.Check.str_matches(r"^([a-z0-9_]+(;[a-z0-9_]+)*)?$"),
            description="labels the keyword rules suggest (sorted, ';'-joined, empty for none)",
        ),
    },
    strict=True,
    coerce=True,
    name="aiid_keywords",
    description="AIID extract: keyword-rule label suggestions per incident (no text)",
)

AIID_CSET = pa.DataFrameSchema(
    {
        "incident_id": pa.Column(int, pa.Check.ge(1)),
        "annotator_file": pa.Column(int, pa.Check.ge(1)),
        "annotator": pa.Column(str),
    },
    strict=False,
    coerce=True,
    unique=["incident_id", "annotator_file"],
    name="aiid_cset_annotators",
    description="AIID extract: CSET v1 per-annotator answers, one column per field of "
    "cset_fields.csv (CC BY-SA 4.0)",
)

REAL_CHECKS = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(str, unique=True),
        "subtheme_id": pa.Column(str, description="the label a share or rank row is about"),
        "compared": pa.Column(str, pa.Check.str_length(min_value=1)),
        "published": pa.Column(str, description="the published value as printed"),
        "published_value": pa.Column(
            float, nullable=True, description="published value in the compared unit"
        ),
        **{f"labels_{v}": _PCT for v in VARIANTS},
        **{f"incidents_{v}": _PCT for v in VARIANTS},
        "real": pa.Column(str, description="real value(s), one per crosswalk variant"),
        "difference": pa.Column(str),
        "verdict": pa.Column(str, pa.Check.isin(VERDICTS)),
        "reason": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    coerce=True,
    name="real_checks",
    description="Published incident claims checked against real AIID labels",
)

REAL_SHARES = pa.DataFrameSchema(
    {
        "variant": pa.Column(str, pa.Check.isin(VARIANTS)),
        "subtheme_id": pa.Column(str, pa.Check.str_matches(SUBTHEME)),
        "n_incidents": pa.Column(int, pa.Check.ge(0)),
        "n_classified": pa.Column(int, pa.Check.ge(0)),
        "n_labelled": pa.Column(int, pa.Check.ge(0)),
        "n_labels": pa.Column(int, pa.Check.ge(0)),
        "pct_incidents": _PCT,
        "pct_labels": _PCT,
        "mapped": pa.Column(bool, description="some MIT subdomain maps to the label"),
    },
    strict=True,
    coerce=True,
    unique=["variant", "subtheme_id"],
    name="real_shares",
)

CSET_AGREEMENT = pa.DataFrameSchema(
    {
        "field": pa.Column(str, unique=True),
        "kind": pa.Column(str, pa.Check.isin(["nominal", "multi"])),
        "measure": pa.Column(str, pa.Check.isin(["nominal", "masi"])),
        "n_incidents": pa.Column(int, pa.Check.ge(0), description="incidents with 2+ answers"),
        "n_answers": pa.Column(int, pa.Check.ge(0)),
        "n_values": pa.Column(int, pa.Check.ge(0)),
        "alpha": pa.Column(float, pa.Check.le(1), nullable=True),
    },
    strict=True,
    coerce=True,
    name="cset_agreement",
    description="Krippendorff's alpha per CSET v1 field between the annotator files",
)

CSET_PAIRS = pa.DataFrameSchema(
    {
        "field": pa.Column(str),
        "annotator_file_a": pa.Column(int, pa.Check.ge(1)),
        "annotator_file_b": pa.Column(int, pa.Check.ge(1)),
        "n_incidents": pa.Column(int, pa.Check.ge(0)),
        "agreement": _share("raw agreement"),
        "kappa": _kappa("Cohen's kappa between the two annotator files"),
    },
    strict=True,
    coerce=True,
    unique=["field", "annotator_file_a", "annotator_file_b"],
    name="cset_pairs",
)

KEYWORD_QUALITY = pa.DataFrameSchema(
    {
        "subtheme_id": pa.Column(str, unique=True, description="label, or 'all' (pooled)"),
        "n_incidents": pa.Column(int, pa.Check.ge(0)),
        "n_keywords": pa.Column(int, pa.Check.ge(0)),
        "n_crosswalk": pa.Column(int, pa.Check.ge(0)),
        "n_both": pa.Column(int, pa.Check.ge(0)),
        "precision": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        "recall": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        "f1": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        "kappa": _kappa("Cohen's kappa, keywords vs MIT-crosswalk labels"),
    },
    strict=True,
    coerce=True,
    name="keyword_quality",
)


def tables(design: Design) -> dict[str, pa.DataFrameSchema]:
    """Every table of the stage (raw tables at their default paths), for the data packages."""
    rq = design.taxonomy_rq or ""
    return {
        "data/raw/incidents/annotations.csv": annotations(rq),
        "data/raw/incidents/adjudicated.csv": adjudicated(rq),
        "data/raw/incidents/mit_crosswalk.csv": crosswalk(rq),
        "data/raw/incidents/keyword_rules.csv": KEYWORD_RULES,
        "data/raw/incidents/cset_fields.csv": CSET_FIELDS,
        "data/raw/incidents/aiid/incidents.csv": AIID_INCIDENTS,
        "data/raw/incidents/aiid/classifications_MIT.csv": AIID_MIT,
        "data/raw/incidents/aiid/cset_annotators.csv": AIID_CSET,
        "data/raw/incidents/aiid/keyword_suggestions.csv": AIID_KEYWORDS,
        "data/processed/incidents/subtheme_counts.csv": SUBTHEME_COUNTS,
        "data/processed/incidents/cooccurrence.csv": COOCCURRENCE,
        "data/processed/incidents/agreement.csv": AGREEMENT,
        "data/processed/incidents/agreement_labels.csv": AGREEMENT_LABELS,
        "data/processed/incidents/incidents_enriched.csv": enriched(rq),
        "data/processed/incidents/incidents_per_year.csv": PER_YEAR,
        "data/processed/incidents/crosswalk_agreement.csv": CROSSWALK_AGREEMENT,
        "data/processed/incidents/preannotation_worksheet.csv": worksheet(rq),
        "data/processed/incidents/keyword_quality.csv": KEYWORD_QUALITY,
        "data/processed/incidents/real_checks.csv": REAL_CHECKS,
        "data/processed/incidents/real_shares.csv": REAL_SHARES,
        "data/processed/incidents/cset_agreement.csv": CSET_AGREEMENT,
        "data/processed/incidents/cset_pairs.csv": CSET_PAIRS,
    }
