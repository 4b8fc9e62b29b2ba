"""The pins are exact, the lock is hash-checked, and the conda environments agree with it."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version

import pytest
import yaml
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet

from downstream_safety.paths import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([0-9][^\s;]*)$")
LOCKED = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+?)(?: ; (.+?))? \\$")
REGENERATE = "uv pip compile --universal --python-version 3.11 --generate-hashes"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements(name="requirements.txt") -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-r ")):
            continue
        m = PIN.match(line)
        assert m, f"{name}: '{line}' is not an exact pin (name==version)"
        pins[_norm(m.group(1))] = m.group(2)
    return pins


def _lock(name="requirements.lock") -> dict[str, tuple[str, str | None, int]]:
    """name -> (version, marker, number of hashes), read independently of repro.py."""
    lines = (ROOT / name).read_text().splitlines()
    out, current = {}, None
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        if not line[0].isspace():
            m = LOCKED.match(line)
            assert m, f"{name}: '{line}' is not 'name==version [; marker] \\'"
            current = _norm(m.group(1))
            out[current] = [m.group(2), m.group(3), 0]
        elif line.strip().startswith("--hash=sha256:"):
            assert re.fullmatch(r"--hash=sha256:[0-9a-f]{64}( \\)?", line.strip()), line
            out[current][2] += 1
    return {k: tuple(v) for k, v in out.items()}


def _repro():
    spec = importlib.util.spec_from_file_location("repro", ROOT / "repro.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_every_direct_dependency_is_pinned_exactly():
    pins = _requirements()
    for name in ["snakemake", "pandas", "scipy", "matplotlib", "nbclient", "nbconvert", "pandera"]:
        assert name in pins, f"{name} missing from requirements.txt"
    assert pins["snakemake"].startswith("9."), "snakemake must be 9.x"


def test_lock_pins_every_package_with_hashes_and_agrees_with_direct_pins():
    for lock, direct in [
        ("requirements.lock", "requirements.txt"),
        ("requirements-bootstrap.lock", "requirements-bootstrap.txt"),
    ]:
        text = (ROOT / lock).read_text()
        assert f"{REGENERATE} {direct} -o {lock}" in text, f"{lock} not made by the uv command"
        assert "snakemake-executor-plugin-slurm" not in text, "the SLURM plugin is an extra"
        locked = _lock(lock)
        for name, (ver, _, n_hashes) in locked.items():
            assert n_hashes >= 1, f"{lock}: {name}=={ver} has no hash"
        for name, ver in _requirements(direct).items():
            assert locked.get(name, (None,))[0] == ver, f"{lock}: {name} is not {ver}"
    assert len(_lock()) > 100  # transitive dependencies are locked too


def test_the_slurm_lock_is_the_lock_plus_the_plugin():
    """The extra adds the plugin and what it needs, and changes no package of the
    lock (so the SLURM environment computes the same bytes)."""
    text = (ROOT / "requirements-slurm.lock").read_text()
    assert "--generate-hashes --constraint requirements.lock requirements-slurm.txt" in text
    base, slurm = _lock(), _lock("requirements-slurm.lock")
    assert {k: v[:2] for k, v in base.items()} == {k: slurm[k][:2] for k in base}
    added = set(slurm) - set(base)
    assert "snakemake-executor-plugin-slurm" in added and len(added) <= 5, added
    assert (
        slurm["snakemake-executor-plugin-slurm"][0]
        == _requirements("requirements-slurm.txt")["snakemake-executor-plugin-slurm"]
    )
    assert (ROOT / "requirements-slurm.txt").read_text().count("-r requirements.txt") == 1


def test_lock_is_universal_for_linux_and_macos():
    # A platform-specific package appears with its marker instead of being
    # resolved for this machine only (appnope: macOS, used by ipykernel).
    locked = _lock()
    assert locked["appnope"][1] == "sys_platform == 'darwin'"
    uv_hashes = _lock("requirements-bootstrap.lock")["uv"][2]
    assert uv_hashes >= 4, "uv must be locked for several platforms"


def test_conda_environments_are_the_lock_plus_the_package():
    locked = _lock()
    for rel, depth in [("environment.yml", 0), ("workflow/envs/replication.yaml", 2)]:
        env = yaml.safe_load((ROOT / rel).read_text())
        deps = env["dependencies"]
        python = next(d for d in deps if isinstance(d, str) and d.startswith("python"))
        spec = SpecifierSet(python.removeprefix("python"))
        assert all(v in spec for v in ["3.11", "3.12", "3.13"]) and "3.14" not in spec, python
        pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
        editable = [p for p in pip if p.startswith("-e ")]
        assert len(editable) == 1, f"{rel}: the package must be installed (-e PATH)"
        path = editable[0][3:]
        if depth:
            # The rules' file: the checkout the workflow sets, wherever Snakemake copies
            # the file to (.snakemake/conda/ of a study's folder in module use).
            assert path == "${DOWNSTREAM_SAFETY_WORKFLOW}", (rel, path)
        else:
            assert (ROOT / path).resolve() == ROOT, (rel, path)
        pins = {}
        for line in pip:
            if line in editable:
                continue
            name, rest = line.split("==", 1)
            ver, _, marker = rest.partition(" ; ")
            pins[_norm(name)] = (ver, marker or None)
        assert pins == {k: (v, m) for k, (v, m, _) in locked.items()}, rel


def test_pyproject_declares_the_pins_of_requirements_txt():
    """An install from pyproject (pip install ., a conda env) gets the same direct pins."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [
        *meta["dependencies"],
        *(r for x in meta["optional-dependencies"].values() for r in x),
    ]
    pins = [
        ln.strip()
        for name in ("requirements.txt", "requirements-slurm.txt")
        for ln in (ROOT / name).read_text().splitlines()
    ]
    assert sorted(declared) == sorted(p for p in pins if p and not p.startswith(("#", "-r ")))
    assert "scripts" not in meta  # repro.py is the command line


def test_conda_environments_are_regenerated_by_the_lock_command():
    repro = _repro()
    for rel, package_path in repro.CONDA_ENVS.items():
        assert (ROOT / rel).read_text() == repro.conda_env(package_path), f"{rel} is stale"


def test_pyproject_declares_the_supported_pythons_and_a_build_backend():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    spec = SpecifierSet(meta["project"]["requires-python"])
    assert all(v in spec for v in ["3.11.0", "3.12.5", "3.13.9"]) and "3.14.0" not in spec
    assert meta["build-system"]["build-backend"] == "setuptools.build_meta"
    supported = {f"{a}.{b}" for a, b in _repro().SUPPORTED}
    assert supported == {"3.11", "3.12", "3.13"}


def test_installed_versions_are_the_locked_ones():
    for name, (ver, marker, _) in _lock().items():
        if marker and not Marker(marker).evaluate():
            continue
        try:
            installed = version(name)
        except PackageNotFoundError:
            raise AssertionError(f"{name} is locked but not installed") from None
        assert installed == ver, f"{name}: installed {installed}, locked {ver}"


def test_package_imports_from_any_directory_without_pythonpath(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    res = subprocess.run(
        [sys.executable, "-c", "import downstream_safety.paths as p; print(p.ROOT)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == str(ROOT)


def test_the_workflow_sets_the_checkout_the_rules_environment_installs(tmp_path, monkeypatch):
    """jobenv.configure sets the variable, and pip expands it in the pip section's
    requirements (as conda runs it), naming this checkout from any folder."""
    import shutil
    import subprocess

    from downstream_safety.common import jobenv

    monkeypatch.delenv("DOWNSTREAM_SAFETY_WORKFLOW", raising=False)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
    jobenv.configure(ROOT)
    assert os.environ["DOWNSTREAM_SAFETY_WORKFLOW"] == str(ROOT)
    env = yaml.safe_load((ROOT / "workflow/envs/replication.yaml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    req = tmp_path / "study" / ".snakemake" / "conda" / "requirements.txt"
    req.parent.mkdir(parents=True)
    req.write_text(next(p for p in pip if p.startswith("-e ")) + "\n")
    # The interpreter the environment was made from has pip (the uv-built one need not).
    candidates = [getattr(sys, "_base_executable", None), shutil.which("python3")]
    python = next(
        (
            c
            for c in candidates
            if c
            and subprocess.run([c, "-m", "pip", "--version"], capture_output=True).returncode == 0
        ),
        None,
    )
    if python is None:
        pytest.skip("no interpreter with pip to read the requirement as conda does")
    res = subprocess.run(
        [python, "-m", "pip", "install", "--dry-run", "--no-deps", "--no-index",
         "--no-build-isolation", "-r", str(req)],
        cwd=req.parent, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert f"Obtaining file://{ROOT}" in res.stdout + res.stderr, res.stdout + res.stderr
