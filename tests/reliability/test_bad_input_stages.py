"""The fault catalogue applied to the raw tables of the stages (recruitment, interviews,
survey, incidents, published claims). Loaders are called as the workflow calls them at
parse time, on a copy of the stage's folder."""

from __future__ import annotations

import pytest

from downstream_safety.paths import RAW
from tests.reliability import faults as F
from tests.reliability.test_bad_input_instruments import cases

STRICT = "error"


def _recruitment(folder):
    from downstream_safety.recruitment.load import FILES, load_recruitment

    names = ["hf_users.csv", "hf_organisations.csv", "hf_memberships.csv", "contact_log.csv"]
    return load_recruitment({k: folder / n for k, n in zip(FILES, names, strict=True)})


def _interviews(folder):
    from downstream_safety.instruments.design import design_tables, load_design
    from downstream_safety.interviews.sources import load_coded_interviews

    files = {
        "participants": folder / "participants.csv",
        "codes": folder / "codes.csv",
        "segments": folder / "coded_segments.csv",
    }
    return load_coded_interviews("csv", files, load_design(design_tables(RAW / "instruments")))


def _survey(folder):
    from downstream_safety.survey.load import read_wave
    from tests.survey.helpers import paper_design

    return read_wave("wave1", folder / "wave1.csv", paper_design()).responses


def _incidents(folder):
    from downstream_safety.incidents.load import load_all
    from tests.incidents.helpers import paper_design

    return load_all(paper_design(), folder / "annotations.csv", folder / "adjudicated.csv")


def _incident_tables(folder):
    """The crosswalk and keyword rules, read as the snapshot rule reads them."""
    from downstream_safety.incidents.load import load_crosswalk, load_keyword_rules
    from tests.incidents.helpers import TAXONOMY

    return (
        load_crosswalk(folder / "mit_crosswalk.csv", TAXONOMY),
        load_keyword_rules(folder / "keyword_rules.csv", TAXONOMY),
    )


def _published(folder):
    from downstream_safety.paper.load import load_grim_samples, load_published_claims

    return (
        load_published_claims(folder / "claims.csv"),
        load_grim_samples(folder / "grim_samples.csv", folder / "claims.csv"),
    )


def _spec(name, source, file, loader, **kw):
    xfail = dict(kw.pop("xfail", {}))
    kw.setdefault("extra_column", STRICT)
    return F.TableSpec(name, RAW / source, file, loader, xfail=xfail, **kw)


SPECS = [
    _spec(
        "hf_users",
        "recruitment",
        "hf_users.csv",
        _recruitment,
        id_col="user_id",
        label_col="is_pro",
        text_col="user_id",
    ),
    _spec(
        "hf_organisations",
        "recruitment",
        "hf_organisations.csv",
        _recruitment,
        id_col="org_id",
        int_col="n_members",
        label_col="label",
        text_col="org_id",
    ),
    _spec(
        "hf_memberships",
        "recruitment",
        "hf_memberships.csv",
        _recruitment,
        ref_col="org_id",
        text_col="user_id",
    ),
    _spec(
        "contact_log",
        "recruitment",
        "contact_log.csv",
        _recruitment,
        id_col="user_id",
        int_col="contact_order",
        label_col="outcome",
        ref_col="user_id",
        text_col="user_id",
    ),
    _spec(
        "participants",
        "interviews",
        "participants.csv",
        _interviews,
        id_col="participant_id",
        int_col="interview_order",
        label_col="channel",
        text_col="domain",
    ),
    _spec(
        "codes",
        "interviews",
        "codes.csv",
        _interviews,
        id_col="code_id",
        label_col="rq",
        ref_col="subtheme_id",
        text_col="code_label",
    ),
    _spec(
        "coded_segments",
        "interviews",
        "coded_segments.csv",
        _interviews,
        id_col="segment_id",
        label_col="rq",
        ref_col="code_id",
        text_col="key_point",
    ),
    _spec(
        "survey_wave1",
        "survey",
        "wave1.csv",
        _survey,
        id_col="respondent_id",
        label_col="imp_finetune_data",
        text_col="description_verdict",
        # The survey contract (docs/survey.md) ignores extra columns of the survey tool's
        # export and strips surrounding whitespace from answers.
        extra_column="tolerated",
        tolerated=("trailing_whitespace",),
    ),
    _spec(
        "annotations",
        "incidents",
        "annotations.csv",
        _incidents,
        int_col="incident_id",
        label_col="labels",
        text_col="annotator",
    ),
    _spec(
        "adjudicated",
        "incidents",
        "adjudicated.csv",
        _incidents,
        id_col="incident_id",
        int_col="incident_id",
        label_col="labels",
        ref_col="incident_id",
        text_col="labels",
    ),
    _spec(
        "mit_crosswalk",
        "incidents",
        "mit_crosswalk.csv",
        _incident_tables,
        id_col="mit_code",
        label_col="subtheme_ids",
        text_col="review_note",
    ),
    _spec(
        "keyword_rules",
        "incidents",
        "keyword_rules.csv",
        _incident_tables,
        label_col="subtheme_id",
        text_col="note",
    ),
    _spec(
        "published_claims",
        "published",
        "claims.csv",
        _published,
        id_col="claim_id",
        label_col="unit",
        text_col="quantity",
    ),
    _spec(
        "grim_samples",
        "published",
        "grim_samples.csv",
        _published,
        id_col="claim_id",
        int_col="n",
        ref_col="claim_id",
        text_col="basis",
    ),
]


def test_every_catalogued_table_is_shipped():
    """A table of the catalogue whose raw file is missing fails here instead of
    silently dropping out of the fault cases below."""
    missing = [f"{s.source / s.file}" for s in SPECS if not (s.source / s.file).is_file()]
    assert not missing, missing


@pytest.mark.parametrize(("spec", "fault"), list(cases(SPECS)))
def test_fault(spec, fault, tmp_path):
    F.run_case(spec, fault, tmp_path)


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_canonical_copy_loads(spec, tmp_path):
    folder = F.prepare(spec, tmp_path, None)
    assert F.normalise(spec.load(folder)) == F.normalise(spec.load(spec.source))
