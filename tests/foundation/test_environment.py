"""The pins are exact and the pip and conda descriptions agree."""

from __future__ import annotations

import re

import yaml

from downstream_safety.paths import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([0-9][^\s;]*)$")


def _requirements() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = PIN.match(line)
        assert m, f"requirements.txt: '{line}' is not an exact pin (name==version)"
        pins[m.group(1).lower()] = m.group(2)
    return pins


def _conda_pip(path) -> dict[str, str]:
    env = yaml.safe_load(path.read_text())
    deps = env["dependencies"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert "python=3.11" in deps
    out = {}
    for line in pip:
        m = PIN.match(line)
        assert m, f"{path.name}: '{line}' is not an exact pin"
        out[m.group(1).lower()] = m.group(2)
    return out


def test_every_direct_dependency_is_pinned_exactly():
    pins = _requirements()
    for name in [
        "snakemake",
        "pandas",
        "scipy",
        "matplotlib",
        "jupyter",
        "nbconvert",
        "pandera",
        "pytest",
    ]:
        assert name in pins, f"{name} missing from requirements.txt"
    assert pins["snakemake"].startswith("9."), "snakemake must be 9.x"


def test_environment_yml_matches_requirements():
    assert _conda_pip(ROOT / "environment.yml") == _requirements()


def test_rule_env_matches_requirements():
    assert _conda_pip(ROOT / "workflow" / "envs" / "replication.yaml") == _requirements()


def test_lock_agrees_with_direct_pins():
    lock = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        m = PIN.match(line.strip())
        if m:
            lock[m.group(1).lower().replace("_", "-")] = m.group(2)
    for name, version in _requirements().items():
        assert lock.get(name.replace("_", "-")) == version, f"{name}: lock has {lock.get(name)}"


def test_installed_versions_are_the_pinned_ones():
    from importlib.metadata import version

    for name, pinned in _requirements().items():
        assert version(name) == pinned, f"{name}: installed {version(name)}, pinned {pinned}"
