"""Faults that must stop a real Snakemake run before any job writes anything.

Every invocation runs in a throw-away copy of the repository; they are started
together (module fixture) because each spends most of its time importing.
"""

from __future__ import annotations

import pytest
import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from downstream_safety.common.errors import InputError
from downstream_safety.paths import ROOT
from downstream_safety.reliability import privacy
from tests.reliability import workflow_copy as W
from tests.reliability.faults import names_line

pytestmark = pytest.mark.slow  # starts Snakemake in a subprocess

TABLE1 = ["paper/tables/table1.csv", "paper/tables/table1.md", "paper/tables/table1.tex"]
RAW_REPORT = "data/processed/reliability/raw_manifest.csv"
UNPINNED = "data/raw/instruments/notes.csv"


def _set(cfg, path, value):
    d = cfg
    for key in path[:-1]:
        d = d[key]
    d[path[-1]] = value


# name -> (key path, bad value, text the message must contain)
CONFIG_FAULTS = {
    "wrong_type": (["seed"], "abc", "seed"),
    "unknown_key": (["privacy", "extra_key"], 1, "extra_key"),
    "bad_enum": (["survey", "tests", "p_adjust"], "bogus", "p_adjust"),
    "out_of_range": (["survey", "tests", "alpha"], 1.5, "alpha"),
    "reserved_wave_id": (["survey", "waves"], [{"id": "all", "responses": "x.csv"}], "all"),
    "deny_list_wrong_type": (["privacy", "deny_list"], 5, "deny_list"),
    "deny_list_missing": (["privacy", "deny_list"], "config/no_such_list.txt", "no_such_list"),
    "allow_bad_regex": (
        ["privacy", "allow"],
        [{"kind": "email", "match": "(", "reason": "x"}],
        "privacy.allow entry 1",
    ),
    "allow_without_reason": (["privacy", "allow"], [{"kind": "email", "match": "a"}], "reason"),
    "allow_unknown_kind": (
        ["privacy", "allow"],
        [{"kind": "ssn", "match": "a", "reason": "x"}],
        "ssn",
    ),
}
# Faults reported by this package's own checks (an InputError naming file and fix);
# the others are reported by Snakemake's schema validation in common.smk.
OWN_CHECKS = {"deny_list_missing", "allow_bad_regex"}
# Run through a real `snakemake -n`; every fault is also checked in-process below,
# through the same validation calls the workflow makes at parse time (fast).
# (Schema faults through Snakemake are also covered by tests/foundation/test_config.py.)
VIA_SNAKEMAKE = {"bad_enum", *OWN_CHECKS}


def _bad_config(name):
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    path, value, _ = CONFIG_FAULTS[name]
    _set(cfg, path, value)
    return cfg


def parse_time_config_checks(cfg):
    """What common.smk and reliability.smk do with the config before any rule is defined."""
    validate(cfg, str(ROOT / "workflow" / "schemas" / "config.schema.yaml"))
    privacy.read_deny_list(ROOT / cfg["privacy"]["deny_list"])
    privacy.parse_allow(cfg["privacy"].get("allow"))


def _fault_protocol_type(copy):
    p = copy / "data/raw/instruments/protocol.csv"
    p.write_text(p.read_text().replace("\n2,Concerns,4,", "\n2,Concerns,three,"))


# name -> (fault, file, column, line); each is re-pinned with the documented command
# first, so the table's own validation (not the manifest) has to catch it.
# (The loader-level catalogue covers every fault; one real run shows the message
# reaches the user and nothing is left behind.)
DATA_FAULTS = {
    "protocol_wrong_type": (_fault_protocol_type, "protocol.csv", "n_questions", 3),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    jobs = {}
    base = W.make_copy(tmp_path_factory.mktemp("config_faults"))
    for name in sorted(VIA_SNAKEMAKE):
        cfg = _bad_config(name)
        cfg_file = base / f"bad_{name}.yaml"
        cfg_file.write_text(yaml.safe_dump(cfg))
        jobs[f"config:{name}"] = (base, ["-n", "--configfile", str(cfg_file)])

    changed = W.make_copy(tmp_path_factory.mktemp("pinned_changed"))
    p = changed / "data/raw/instruments/protocol.csv"
    p.write_bytes(p.read_bytes() + b"5,Extra,1,Why?,\n")
    jobs["pinned_changed"] = (changed, ["--cores", "1", *TABLE1])

    # A new file in a folder the config names (instruments.folder) is a raw input.
    unpinned = W.make_copy(tmp_path_factory.mktemp("unpinned"))
    (unpinned / UNPINNED).write_text("note\nto be pinned later\n")
    jobs["unpinned"] = (unpinned, ["--cores", "1", RAW_REPORT])

    for name, (fault, *_rest) in DATA_FAULTS.items():
        c = W.make_copy(tmp_path_factory.mktemp(name))
        fault(c)
        res = W.run_python(
            c, "-m", "downstream_safety.reliability.manifest", "--update", "data/raw/instruments"
        )
        assert res.returncode == 0, res.stderr
        jobs[f"data:{name}"] = (c, ["--cores", "1", *TABLE1])
    results = W.snakemake_many(jobs)
    return {k: (jobs[k][0], v) for k, v in results.items()}


def _text(res):
    return res.stdout + res.stderr


@pytest.mark.bad_input
@pytest.mark.parametrize("name", sorted(CONFIG_FAULTS))
def test_config_fault_is_rejected(name):
    with pytest.raises((WorkflowError, InputError)) as info:
        parse_time_config_checks(_bad_config(name))
    assert CONFIG_FAULTS[name][2] in str(info.value)


def test_shipped_config_passes_the_checks():
    parse_time_config_checks(yaml.safe_load((ROOT / "config" / "config.yaml").read_text()))


@pytest.mark.bad_input
@pytest.mark.parametrize("name", sorted(VIA_SNAKEMAKE))
def test_config_fault_stops_snakemake_at_parse_time(runs, name):
    _, res = runs[f"config:{name}"]
    text = _text(res)
    assert res.returncode != 0, text[-2000:]
    assert "Building DAG" not in text, "the fault was caught only after parsing"
    assert CONFIG_FAULTS[name][2] in text, text[-2000:]


@pytest.mark.bad_input
@pytest.mark.parametrize("name", sorted(OWN_CHECKS))
def test_own_config_checks_name_file_and_fix(runs, name):
    text = _text(runs[f"config:{name}"][1])
    assert "Invalid input in" in text and "fix:" in text


def test_schema_messages_name_config_file_and_fix(runs):
    _, res = runs["config:bad_enum"]
    text = _text(res)
    assert "bad_bad_enum.yaml" in text and "fix" in text.lower()


@pytest.mark.bad_input
def test_changed_pinned_file_refuses_to_run(runs):
    copy, res = runs["pinned_changed"]
    text = _text(res)
    assert res.returncode != 0
    assert "data/raw/instruments/protocol.csv" in text and "MANIFEST.sha256" in text
    assert "--update" in text
    assert W.outputs(copy) == {}


def test_unpinned_file_is_used_and_reported(runs):
    copy, res = runs["unpinned"]
    assert res.returncode == 0, _text(res)[-3000:]
    assert "unpinned raw input" in _text(res) and UNPINNED in _text(res)
    report = (copy / RAW_REPORT).read_text()
    assert f"{UNPINNED}," in report
    line = next(ln for ln in report.splitlines() if ln.startswith(f"{UNPINNED},"))
    assert line.endswith(",unpinned")
    assert "data/raw/instruments/protocol.csv," in report
    log = (copy / "logs/reliability/raw_manifest.log").read_text()
    assert UNPINNED in log


@pytest.mark.bad_input
@pytest.mark.parametrize("name", sorted(DATA_FAULTS))
def test_bad_raw_table_fails_the_run_and_writes_nothing(runs, name):
    copy, res = runs[f"data:{name}"]
    _, file, column, line = DATA_FAULTS[name]
    logs = "".join(p.read_text() for p in (copy / "logs").rglob("*.log"))
    text = _text(res) + logs
    assert res.returncode != 0
    assert file in text and "fix:" in text
    assert column is None or column in text
    assert names_line(text, line)
    assert W.outputs(copy) == {}, sorted(W.outputs(copy))
