"""Property-based fuzzing of the readers, the privacy scanner and pseudonymisation."""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import read_csv_text, read_table, to_csv_text
from downstream_safety.instruments import schemas
from downstream_safety.paths import INSTRUMENTS
from downstream_safety.reliability import privacy
from downstream_safety.reliability.pseudonymise import pseudonym
from tests.reliability import faults as F
from tests.reliability.test_bad_input_instruments import SPECS
from tests.reliability.test_bad_input_stages import SPECS as STAGE_SPECS

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
# Any text but carriage returns (line endings are normalised on reading, by design).
CELLS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=12)


@FAST
@given(
    st.lists(NAMES, min_size=2, max_size=5, unique=True).flatmap(
        lambda cols: st.tuples(
            st.just(cols),
            # Input tables need at least one row (a header alone is an error).
            st.lists(st.lists(CELLS, min_size=len(cols), max_size=len(cols)), min_size=1),
        )
    )
)
def test_csv_round_trip(table):
    """Writing a text table and reading it back gives the same cells (two columns or more:
    a one-column row of an empty string is a blank line, which CSV readers skip)."""
    cols, rows = table
    df = pd.DataFrame(rows, columns=cols, dtype=object)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        path.write_text(to_csv_text(df), encoding="utf-8")
        back = read_csv_text(path)
    assert back.columns.tolist() == cols
    assert back.astype(object).values.tolist() == df.values.tolist()


def _unordered(value):
    """Plain lists (e.g. the set of missing-value labels) carry no order; frames do."""
    if isinstance(value, dict):
        return {k: _unordered(v) for k, v in value.items()}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return sorted(value)
    return value


def _outcome(load, folder):
    """What a user sees: success with the loaded data, or the problems and columns named."""
    try:
        return ("ok", _unordered(F.normalise(load(folder))))
    except InputError as err:
        lines = str(err).splitlines()
        return (
            "error",
            sorted(ln for ln in lines if ln.lstrip().startswith(("problem", "column"))),
        )


@FAST
@given(
    spec=st.sampled_from(SPECS),
    fault=st.sampled_from(
        [
            f
            for f in F.FAULTS
            if f.name
            in {"duplicate_id", "unknown_label", "wrong_type", "dangling_reference", "case_variant"}
        ]
        + [None]
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_permuting_rows_never_changes_the_outcome(spec, fault, seed):
    if fault is not None and not F.applicable(spec, fault):
        fault = None
    with tempfile.TemporaryDirectory() as tmp:
        folder = F.prepare(spec, Path(tmp), fault)
        before = _outcome(spec.load, folder)
        path = folder / spec.file
        header, rows = F.parse(path.read_bytes())
        random.Random(seed).shuffle(rows)
        path.write_bytes(F.unparse(header, rows))
        assert _outcome(spec.load, folder) == before


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for pos, delete, insert in edits:
        pos = pos % (len(out) + 1)
        out[pos : pos + delete] = insert
    return bytes(out)


EDITS = st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(0, 8), st.binary(max_size=6)),
    min_size=1,
    max_size=4,
)


@FAST
@given(table=st.sampled_from(sorted(schemas.TABLES)), edits=EDITS)
def test_corrupted_bytes_give_input_error_or_valid_table(table, edits):
    if not table.startswith("data/raw/"):
        return
    source = INSTRUMENTS / Path(table).name
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / source.name
        path.write_bytes(_mutate(source.read_bytes(), edits))
        try:
            read_table(path, schemas.TABLES[table])
        except InputError as err:
            assert source.name in str(err)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=st.sampled_from(SPECS + STAGE_SPECS), edits=EDITS)
def test_corrupted_table_gives_input_error_or_loads(spec, edits):
    """Whatever the damage, a stage's loader either loads or raises InputError."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / spec.source.name
        shutil.copytree(spec.source, folder)
        path = folder / spec.file
        path.write_bytes(_mutate(path.read_bytes(), edits))
        try:
            spec.load(folder)
        except InputError:
            pass


LOCAL = st.from_regex(r"[a-z][a-z0-9._+-]{0,15}[a-z0-9]", fullmatch=True).filter(
    lambda s: ".." not in s
)
DOMAIN = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]\.(org|com|de|ac\.uk|io)", fullmatch=True)
FILLER = st.text(st.sampled_from(list("abc XYZ,;:()\"'0123456789\t")), max_size=30)


@FAST
@given(local=LOCAL, domain=DOMAIN, before=FILLER, after=FILLER)
def test_planted_email_is_always_found(local, domain, before, after):
    email = f"{local}@{domain}"
    line = f"{before} {email} {after}"
    assert ("email", email) in list(privacy.scan_line(line, None))


@FAST
@given(data=st.binary(max_size=2000))
def test_scanner_never_crashes_on_arbitrary_bytes(data):
    how, hits = privacy.scan_bytes("x", data, privacy.name_pattern(["Kateryna Oduya"]))
    assert how in {"text", "zip", "spss", "binary"}
    assert all(h.kind in privacy.KINDS for h in hits)


@FAST
@given(values=st.lists(st.text(min_size=1, max_size=30).map(str.strip).filter(bool), unique=True))
def test_pseudonyms_are_injective_and_stable(values):
    salt = b"0123456789abcdef0123456789abcdef"
    out = [pseudonym(v, salt) for v in values]
    assert len(set(out)) == len(out)
    assert out == [pseudonym(v, salt) for v in values]
    assert all(privacy.PROLIFIC.search(p) is None for p in out)
