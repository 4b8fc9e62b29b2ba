"""Bad-input catalogue of the platform readers: each refusal names file, element and fix.

Every case edits an export written by tests/survey/format_fixtures.py and reads it
as the workflow would; the message must name the file, the element (column,
value or platform) and a fix, and nothing may be written.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.survey.load import read_wave
from tests.survey import format_fixtures as FX
from tests.survey.helpers import paper_design


@dataclass(frozen=True)
class Refusal:
    name: str
    make: Callable[[Path], dict]  # tmp -> read_wave keyword arguments (path, fmt, values)
    names: tuple[str, ...]  # what the message must name besides the file
    absent: tuple[str, ...] = ()  # what it must not say (a wrong diagnosis)
    file: str | None = None  # the file at fault, when not the export


def _qualtrics(tmp, **kw):
    layout, numeric = kw.pop("layout", "current"), kw.pop("numeric", True)
    return FX.write_qualtrics(tmp, layout=layout, numeric=numeric, **kw)


def _values(tmp):
    return FX.numeric_values_csv(tmp / "values.csv", FX.wave()[2])


def _edit(path: Path, old: str, new: str, count: int = 1) -> Path:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    assert old in text, old
    path.write_bytes(codecs.BOM_UTF8 + text.replace(old, new, count).encode("utf-8"))
    return path


def _lime_as_qualtrics(tmp):
    return {"path": FX.write_limesurvey(tmp)[0], "fmt": "qualtrics"}


def _qualtrics_as_lime(tmp):
    return {"path": _qualtrics(tmp), "fmt": "limesurvey", "values": _values(tmp)}


def _qualtrics_as_plain(tmp):
    return {"path": _qualtrics(tmp), "fmt": "plain"}


def _spss_as_qualtrics(tmp):
    return {"path": FX.write_spss(tmp), "fmt": "qualtrics"}


def _csv_as_spss(tmp):
    return {"path": _qualtrics(tmp), "fmt": "spss"}


def _numeric_code_without_meaning(tmp):
    path = _qualtrics(tmp)
    # the first respondent's (line 4) first item answer becomes 7, beyond a 5-point scale
    text = path.read_bytes().decode("utf-8-sig").split("\r\n")
    cells = text[3].split(",")
    col = FX.wave()[3].index("imp_finetune_data") + 6  # six metadata columns come first
    cells[col] = "7"
    text[3] = ",".join(cells)
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(text).encode("utf-8"))
    return {"path": path, "fmt": "qualtrics", "values": _values(tmp)}


def _numeric_missing_label_without_values(tmp):
    return {"path": _qualtrics(tmp), "fmt": "qualtrics"}  # 98/99 need the values file


def _unknown_status_code(tmp):
    path = _edit(_qualtrics(tmp), "\r\nR0001,0,", "\r\nR0001,3,")
    return {"path": path, "fmt": "qualtrics", "values": _values(tmp)}


def _values_label_not_accepted(tmp):
    v = _values(tmp)
    v.write_text(v.read_text() + "importance5,97,Unsure\n")
    return {"path": _qualtrics(tmp), "fmt": "qualtrics", "values": v}


def _values_unknown_scale(tmp):
    v = tmp / "values.csv"
    v.write_text("scale_id,code,label\nimportance7,98,I do not know\n")
    return {"path": _qualtrics(tmp), "fmt": "qualtrics", "values": v}


def _values_without_key(tmp):
    v = tmp / "values.csv"
    v.write_text("question,code,label\nai_projects,1,None\n")
    return {"path": _qualtrics(tmp), "fmt": "qualtrics", "values": v}


def _lime_codes_without_values(tmp):
    return {"path": FX.write_limesurvey(tmp)[0], "fmt": "limesurvey"}


def _missing_response_id_2016(tmp):
    path = _qualtrics(tmp)
    text = path.read_bytes().decode("utf-8-sig").replace("ResponseId", "RespondentKey", 1)
    text = text.replace('{""ImportId"": ""', "{'ImportId': '").replace('""}', "'}")
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    return {"path": path, "fmt": "qualtrics", "values": _values(tmp)}


def _only_previews(tmp):
    path = _qualtrics(tmp)
    text = path.read_bytes().decode("utf-8-sig").split("\r\n")
    body = [line.replace(",0,", ",1,", 1) if line.startswith("R") else line for line in text[3:]]
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(text[:3] + body).encode("utf-8"))
    return {"path": path, "fmt": "qualtrics", "values": _values(tmp)}


def _not_utf8(tmp):
    path = _qualtrics(tmp, numeric=False)
    raw = path.read_bytes()[3:].replace(b"Text of ResponseId", b"Text of R\xe9sponseId", 1)
    path.write_bytes(raw)
    return {"path": path, "fmt": "qualtrics"}


def _spss_code_without_label(tmp):
    import pyreadstat

    src = FX.write_spss(tmp)
    df, meta = pyreadstat.read_sav(str(src))
    df.loc[0, "imp_finetune_data"] = 6.0
    out = tmp / "edited.sav"
    pyreadstat.write_sav(df, str(out), variable_value_labels=meta.variable_value_labels)
    return {"path": out, "fmt": "spss"}


REFUSALS = [
    Refusal("limesurvey_configured_as_qualtrics", _lime_as_qualtrics,
            ("LimeSurvey response export", "format: limesurvey"), ("number of fields",)),
    Refusal("qualtrics_configured_as_limesurvey", _qualtrics_as_lime,
            ("a Qualtrics export", "format: qualtrics")),
    Refusal("qualtrics_configured_as_plain", _qualtrics_as_plain,
            ("a Qualtrics export", "format: qualtrics")),
    Refusal("spss_configured_as_qualtrics", _spss_as_qualtrics,
            ("an SPSS .sav file", "format: spss")),
    Refusal("csv_configured_as_spss", _csv_as_spss, ("a Qualtrics export", "format: qualtrics")),
    Refusal("numeric_code_without_meaning", _numeric_code_without_meaning,
            ("numeric export", "imp_finetune_data", "'7'", "survey.waves[].values"),
            ("unknown label",)),
    Refusal("numeric_missing_label_without_values", _numeric_missing_label_without_values,
            ("numeric export", "'98'", "survey.waves[].values"), ("unknown label",)),
    Refusal("unknown_status_code", _unknown_status_code, ("Status", "'3'", "Survey Preview")),
    Refusal("values_label_not_accepted", _values_label_not_accepted,
            ("values.csv", "Unsure", "label"), file="values.csv"),
    Refusal("values_unknown_scale", _values_unknown_scale, ("values.csv", "importance7"),
            file="values.csv"),
    Refusal("values_without_key", _values_without_key, ("values.csv", "item_id", "scale_id"),
            file="values.csv"),
    Refusal("limesurvey_codes_without_values", _lime_codes_without_values,
            ("answer codes", "'A1'", "survey.waves[].values")),
    Refusal("missing_response_id_2016", _missing_response_id_2016,
            ("2016 export", "ResponseId"), ()),
    Refusal("only_previews", _only_previews, ("no responses", "Status")),
    Refusal("not_utf8", _not_utf8, ("UTF-8",)),
    Refusal("spss_code_without_label", _spss_code_without_label,
            ("imp_finetune_data", "'6'", "survey.waves[].values")),
]  # fmt: skip


@pytest.mark.bad_input
@pytest.mark.parametrize("case", REFUSALS, ids=lambda c: c.name)
def test_platform_refusal(tmp_path, case):
    args = case.make(tmp_path)
    path = args.pop("path")
    before = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    with pytest.raises(InputError) as info:
        read_wave("wave1", path, paper_design(), **args)
    msg = str(info.value)
    missing = [n for n in (case.file or path.name, *case.names, "fix:") if n not in msg]
    assert not missing, f"{missing} not named\n{msg[:3000]}"
    wrong = [n for n in case.absent if n in msg]
    assert not wrong, f"wrong diagnosis {wrong}\n{msg[:3000]}"
    after = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    assert after == before, "the reader wrote or changed files"
