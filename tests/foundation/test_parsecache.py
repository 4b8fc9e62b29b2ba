"""The parse-time check cache: a check reruns whenever anything it depends on
changes (its inputs, the package, the interpreter, the libraries' versions),
failures are never stored, and the folder keeps only its newest entries."""

from __future__ import annotations

import importlib.metadata
import os

import pytest

from downstream_safety.common import parsecache

CALLS: list[str] = []


def Counter():  # noqa: N802 (a check function that counts its calls)
    CALLS.clear()

    def read_table(path):
        CALLS.append(path)
        return {"read": open(path).read()}

    return read_table


@pytest.fixture(autouse=True)
def _fresh_digest():
    parsecache._source_digest.cache_clear()
    yield
    parsecache._source_digest.cache_clear()


def test_a_check_runs_again_only_when_its_input_changes(tmp_path):
    f = tmp_path / "table.csv"
    f.write_text("a\n1\n")
    check, cache = Counter(), tmp_path / "cache"
    for _ in range(3):
        assert parsecache.cached_check(check, str(f), cache_dir=cache, extra=[f]) == {
            "read": "a\n1\n"
        }
    assert len(CALLS) == 1
    f.write_text("a\n2\n")
    assert parsecache.cached_check(check, str(f), cache_dir=cache, extra=[f])["read"] == "a\n2\n"
    assert len(CALLS) == 2


def test_another_library_version_is_another_key(tmp_path, monkeypatch):
    f = tmp_path / "t.csv"
    f.write_text("x")
    before = parsecache.state_key(Counter, (str(f),), {}, [f])
    real = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: "0.0" if name == "pandas" else real(name)
    )
    parsecache._source_digest.cache_clear()
    assert parsecache.state_key(Counter, (str(f),), {}, [f]) != before


def test_a_failing_check_is_not_stored(tmp_path):
    calls = []

    def failing(x):
        calls.append(x)
        raise ValueError("bad input")

    for _ in range(2):
        with pytest.raises(ValueError):
            parsecache.cached_check(failing, 1, cache_dir=tmp_path / "c")
    assert len(calls) == 2
    assert not list((tmp_path / "c").glob("*.pickle")) if (tmp_path / "c").exists() else True


def test_the_folder_keeps_only_the_newest_entries(tmp_path):
    cache = tmp_path / "c"
    cache.mkdir()
    for i in range(parsecache.KEEP + 5):
        p = cache / f"{i:04d}.pickle"
        p.write_bytes(b"x")
        os.utime(p, ns=(i * 10**9, i * 10**9))
    parsecache._prune(cache)
    left = sorted(p.name for p in cache.glob("*.pickle"))
    assert len(left) == parsecache.KEEP
    assert left[0] == "0005.pickle"  # the five oldest went
