"""The fault catalogue applied to the instrument tables (data/raw/instruments/)."""

from __future__ import annotations

import pytest

from downstream_safety.instruments import load
from downstream_safety.instruments.design import design_tables, load_design
from downstream_safety.paths import INSTRUMENTS
from tests.reliability import faults as F

# Known gaps of the shared reader, recorded so that a fix turns them into
# (strict) unexpected passes: a table with a header and no rows is accepted
# (caught only where another table references it); the fields missing from a
# cut-off last line become empty cells, which pass wherever a column may be
# empty; InputError shows offending values in full, so a multi-megabyte cell
# makes a multi-megabyte message.

STRICT = "error"  # the instrument schemas are strict: an unknown column is rejected, by name


def _design(folder):
    """The design as the workflow reads it at parse time (all references checked)."""
    return load_design(design_tables(folder))


def _spec(name, file, loader, **kw) -> F.TableSpec:
    xfail = dict(kw.pop("xfail", {}))
    return F.TableSpec(name, INSTRUMENTS, file, loader, extra_column=STRICT, xfail=xfail, **kw)


SPECS = [
    _spec(
        "protocol",
        "protocol.csv",
        lambda folder: load.load_protocol(folder / "protocol.csv", folder / "survey_scales.csv"),
        id_col="topic",
        int_col="n_questions",
        ref_col="survey_scale_id",
        label_col="survey_scale_id",
        text_col="sample_question",
        row=2,
    ),
    _spec(
        "codebook_themes",
        "codebook_themes.csv",
        _design,
        id_col="theme_id",
        int_col="theme_order",
        label_col="rq",
        text_col="theme_name",
    ),
    _spec(
        "codebook_subthemes",
        "codebook_subthemes.csv",
        _design,
        id_col="subtheme_id",
        int_col="subtheme_order",
        label_col="rq",
        ref_col="theme_id",
        text_col="subtheme_name",
    ),
    _spec(
        "survey_scales",
        "survey_scales.csv",
        _design,
        id_col="code",
        int_col="code",
        label_col="scale_id",
        text_col="label",
    ),
    _spec(
        "survey_missing_labels",
        "survey_missing_labels.csv",
        _design,
        id_col="label",
        text_col="meaning",
    ),
    _spec(
        "survey_items",
        "survey_items.csv",
        _design,
        id_col="item_id",
        int_col="item_order",
        label_col="block",
        ref_col="subtheme_id",
        text_col="statement",
    ),
]


def cases(specs):
    for spec in specs:
        for fault in F.FAULTS:
            if not F.applicable(spec, fault):
                continue
            marks = [pytest.mark.bad_input]
            if fault.name in spec.xfail:
                marks.append(pytest.mark.xfail(reason=spec.xfail[fault.name], strict=True))
            yield pytest.param(spec, fault, marks=marks, id=f"{spec.name}-{fault.name}")


@pytest.mark.parametrize(("spec", "fault"), list(cases(SPECS)))
def test_fault(spec, fault, tmp_path):
    F.run_case(spec, fault, tmp_path)


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_canonical_copy_loads(spec, tmp_path):
    """The catalogue's re-serialised copy of a table loads like the shipped one."""
    folder = F.prepare(spec, tmp_path, None)
    assert F.normalise(spec.load(folder)) == F.normalise(spec.load(spec.source))
