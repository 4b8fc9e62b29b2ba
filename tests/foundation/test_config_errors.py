"""Config errors name the key; the defaults config/README.md documents are the schema's.

Expected messages are written by hand from the schema; the README's defaults are
read from its tables independently of the checker.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from downstream_safety.common.config_check import config_problems
from tests.foundation.helpers import run, tool

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
CONFIG = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))


def _config():
    return copy.deepcopy(CONFIG)


def test_shipped_config_has_no_problem():
    assert config_problems(_config(), SCHEMA) == []


def test_missing_required_key_names_its_path():
    cfg = _config()
    del cfg["survey"]["waves"]
    (msg,) = config_problems(cfg, SCHEMA)
    assert "`survey.waves` is missing" in msg
    assert "add `waves:` under `survey`" in msg


def test_missing_key_with_a_default_is_not_a_problem():
    cfg = _config()
    del cfg["survey"]["screening_columns"]
    assert config_problems(cfg, SCHEMA) == []


def test_misspelt_key_gets_the_closest_valid_name():
    cfg = _config()
    cfg["survey"]["screenings"] = cfg["survey"].pop("screening")
    (msg,) = config_problems(cfg, SCHEMA)
    assert "`survey.screenings` is not a known key" in msg
    assert "did you mean `survey.screening`?" in msg


def test_misspelt_nested_key_in_a_list_item():
    cfg = _config()
    cfg["survey"]["waves"][0]["respones"] = cfg["survey"]["waves"][0].pop("responses")
    msgs = config_problems(cfg, SCHEMA)
    assert any("`survey.waves[0].respones` is not a known key" in m for m in msgs), msgs
    assert any("did you mean `survey.waves[0].responses`?" in m for m in msgs), msgs
    assert any("`survey.waves[0].responses` is missing" in m for m in msgs), msgs


def test_wrong_type_names_key_value_and_expectation():
    cfg = _config()
    cfg["survey"]["tests"]["alpha"] = "0.05x"
    (msg,) = config_problems(cfg, SCHEMA)
    assert msg.startswith("config key `survey.tests.alpha` has the value '0.05x'")
    assert "expected a value of type number" in msg


def test_top_level_key_and_several_problems_at_once():
    cfg = _config()
    cfg["seed"] = -1
    cfg["robustness"]["chunk"] = 3
    msgs = config_problems(cfg, SCHEMA)
    assert len(msgs) == 2
    assert any(
        "`robustness.chunk` is not a known key" in m and "`robustness.chunks`" in m for m in msgs
    )
    assert any(m.startswith("config key `seed` has the value -1") for m in msgs)


def test_null_stage_is_accepted():
    cfg = _config()
    cfg["recruitment"] = None
    assert config_problems(cfg, SCHEMA) == []


@pytest.mark.slow
def test_snakemake_parse_stops_with_the_key(tmp_path):
    cfg = _config()
    cfg["survey"]["screenings"] = cfg["survey"].pop("screening")
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    res = run([tool("snakemake"), "-n", "--cores", "1", "--configfile", str(bad)])
    assert res.returncode != 0
    out = res.stdout + res.stderr
    assert "`survey.screenings` is not a known key" in out
    assert "did you mean `survey.screening`?" in out
    assert "is not valid under any of the given schemas" not in out


# --- the README's defaults are the schema's -------------------------------------

_CELL = re.compile(r"(?<!\\)\|")  # a table cell border; "\|" inside a cell is text
_KEY = re.compile(r"`([a-z0-9_.]+)`")


def _readme_defaults() -> dict[str, str]:
    """Key -> default cell of every row of config/README.md's key tables."""
    rows = {}
    for line in (ROOT / "config" / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in _CELL.split(line)]
        if len(cells) >= 5 and cells[0] == "" and (m := _KEY.fullmatch(cells[1])):
            rows[m.group(1)] = cells[3]
    return rows


def _resolve(schema: dict, base: Path) -> dict:
    if "$ref" in schema:
        return yaml.safe_load((base / schema["$ref"]).read_text(encoding="utf-8"))
    for option in schema.get("oneOf", []):
        if option.get("type") != "null":
            return _resolve(option, base)
    return schema


def _schema_at(key: str) -> dict | None:
    node = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    for part in key.split("."):
        node = _resolve(node, SCHEMA.parent).get("properties", {}).get(part)
        if node is None:
            return None
    return node


def test_readme_documents_the_schema_defaults():
    rows = _readme_defaults()
    assert len(rows) > 30, "the README's key tables were not found"
    wrong = []
    for key, cell in rows.items():
        node = _schema_at(key)
        if node is None:
            wrong.append(f"{key}: documented but not in the schema")
            continue
        literal = re.fullmatch(r"`([^`]*)`", cell)
        if literal is None:
            continue  # described in words (e.g. "the paper study's note") or no default
        documented = yaml.safe_load(literal.group(1))
        if "default" not in node:
            wrong.append(f"{key}: README default {cell} but the schema has none")
        elif node["default"] != documented:
            wrong.append(f"{key}: README {documented!r} != schema {node['default']!r}")
    assert not wrong, "\n".join(wrong)
