"""A config value that breaks the schema stops Snakemake at parse time."""

from __future__ import annotations

import pytest
import yaml

from downstream_safety.paths import ROOT
from tests.foundation.helpers import run, tool

pytestmark = pytest.mark.slow  # starts Snakemake in a subprocess


def _dry_run_with(tmp_path, mutate):
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    mutate(cfg)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(cfg))
    return run([tool("snakemake"), "-n", "--configfile", str(path)])


def test_shipped_config_passes():
    res = run([tool("snakemake"), "-n", "-q"])
    assert res.returncode == 0, res.stderr


def test_bad_enum_fails_at_parse_time(tmp_path):
    def mutate(cfg):
        cfg["interviews"]["source"] = "excel"

    res = _dry_run_with(tmp_path, mutate)
    assert res.returncode != 0
    err = res.stdout + res.stderr
    assert "excel" in err and "source" in err
    assert "Building DAG" not in err


def test_wrong_type_fails(tmp_path):
    def mutate(cfg):
        cfg["seed"] = "abc"

    res = _dry_run_with(tmp_path, mutate)
    assert res.returncode != 0
    assert "seed" in res.stdout + res.stderr


def test_unknown_key_fails(tmp_path):
    def mutate(cfg):
        cfg["threads"] = 8

    res = _dry_run_with(tmp_path, mutate)
    assert res.returncode != 0
    assert "threads" in res.stdout + res.stderr


def test_every_key_is_documented():
    doc = (ROOT / "config" / "README.md").read_text()
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())

    def keys(d, prefix=""):
        for k, v in d.items():
            name = f"{prefix}{k}"
            # A map whose keys the user chooses is documented as one key.
            if isinstance(v, dict) and name not in {"survey.screening_columns"}:
                yield from keys(v, name + ".")
            else:
                yield name

    missing = [k for k in keys(cfg) if f"`{k}`" not in doc]
    assert not missing, f"undocumented config keys: {missing}"
