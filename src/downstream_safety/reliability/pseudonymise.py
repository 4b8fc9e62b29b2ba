"""Replace identifying columns of a raw export by keyed pseudonyms.

Each value becomes ``<prefix><first N hex digits of HMAC-SHA256(salt, value)>``.
The salt is a secret kept outside the repository: with it, the same participant
gets the same pseudonym in every export (so recruitment, interview and survey
records still join); without it, nobody can recompute or reverse the mapping,
even for ids from a small, guessable space such as e-mail addresses or Prolific
ids. Empty cells stay empty; surrounding whitespace is ignored.

    python -m downstream_safety.reliability.pseudonymise --new-salt ~/secrets/study.salt
    python -m downstream_safety.reliability.pseudonymise --salt-file ~/secrets/study.salt \\
        --column prolific_id --column email export.csv data/raw/survey/wave2.csv

A survey platform's export goes through ``python3 repro.py deidentify``
(reliability/deidentify.py) instead: it keeps only the columns the design uses
and pseudonymises the response id with the same keyed hash.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import secrets
import sys
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import atomic_write_text, read_csv_text, to_csv_text
from downstream_safety.paths import ROOT, rel

MIN_SALT_BYTES = 16
DEFAULT_LENGTH = 16
DEFAULT_PREFIX = "p"


def _inside_repository(path: Path) -> Path | None:
    """The repository (this one, or any Git work tree) that contains ``path``, if any."""
    path = path.resolve()
    if path == ROOT or ROOT in path.parents:
        return ROOT
    for parent in path.parents:
        if (parent / ".git").exists():
            return parent
    return None


def read_salt(path: Path) -> bytes:
    path = Path(path).expanduser()
    repo = _inside_repository(path)
    if repo is not None:
        raise InputError(
            str(path),
            f"the salt file is inside a repository ({repo}); it could be committed and published",
            fix="move the salt outside every repository (e.g. ~/secrets/) and keep a backup",
        )
    if not path.is_file():
        raise InputError(
            str(path),
            "salt file does not exist",
            fix="create one with `python -m downstream_safety.reliability.pseudonymise "
            "--new-salt PATH` (outside the repository)",
        )
    salt = path.read_bytes().strip()
    if len(salt) < MIN_SALT_BYTES:
        raise InputError(
            str(path),
            f"salt is too short ({len(salt)} bytes; at least {MIN_SALT_BYTES} needed)",
            fix="create a new salt with --new-salt (64 random hex digits)",
        )
    return salt


def new_salt(path: Path) -> None:
    """Write 32 random bytes as hex, readable by the owner only."""
    path = Path(path).expanduser()
    repo = _inside_repository(path)
    if repo is not None:
        raise InputError(
            str(path),
            f"refusing to create a salt inside a repository ({repo})",
            fix="choose a path outside every repository (e.g. ~/secrets/study.salt)",
        )
    if path.exists():
        raise InputError(
            str(path),
            "file exists; refusing to overwrite a salt (old pseudonyms would no longer match)",
            fix="choose another path, or delete the old salt deliberately",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")


def pseudonym(
    value: str, salt: bytes, *, length: int = DEFAULT_LENGTH, prefix: str = DEFAULT_PREFIX
) -> str:
    value = value.strip()
    if not value:
        return ""
    digest = hmac.new(salt, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return prefix + digest[:length]


def pseudonymise_frame(
    df: pd.DataFrame,
    columns: list[str],
    salt: bytes,
    *,
    file: str,
    length: int = DEFAULT_LENGTH,
    prefix: str = DEFAULT_PREFIX,
) -> pd.DataFrame:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(
            file,
            "column(s) to pseudonymise not found",
            column=", ".join(missing),
            fix=f"use column names of the file: {', '.join(df.columns)}",
        )
    out = df.copy()
    mapping: dict[str, str] = {}
    for col in columns:
        for raw in out[col]:
            key = raw.strip()
            if key and key not in mapping:
                mapping[key] = pseudonym(key, salt, length=length, prefix=prefix)
        out[col] = [mapping.get(v.strip(), "") for v in out[col]]
    if len(set(mapping.values())) != len(mapping):
        raise InputError(
            file,
            f"two different values got the same {length}-digit pseudonym",
            fix="use a longer pseudonym (--length)",
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Replace identifying columns of a CSV export by salted-hash pseudonyms."
    )
    ap.add_argument("--salt-file", type=Path, help="secret salt, kept outside the repository")
    ap.add_argument("--new-salt", type=Path, metavar="PATH", help="create a new salt file")
    ap.add_argument("--column", action="append", default=[], help="column to pseudonymise")
    ap.add_argument("--length", type=int, default=DEFAULT_LENGTH, help="hex digits kept (8-64)")
    ap.add_argument("--prefix", default=DEFAULT_PREFIX, help="text put before each pseudonym")
    ap.add_argument("input", nargs="?", type=Path, help="CSV export to read")
    ap.add_argument("output", nargs="?", type=Path, help="CSV to write")
    args = ap.parse_args(argv)
    try:
        if args.new_salt:
            new_salt(args.new_salt)
            print(f"wrote a new salt to {args.new_salt}; keep it secret and backed up")
            return 0
        if not (args.salt_file and args.column and args.input and args.output):
            ap.error(
                "--salt-file, at least one --column, IN.csv and OUT.csv are required "
                "(a survey platform's export: python3 repro.py deidentify)"
            )
        if not 8 <= args.length <= 64:
            ap.error("--length must be between 8 and 64")
        if args.input.resolve() == args.output.resolve():
            ap.error("OUT.csv must differ from IN.csv (the export is kept until checked)")
        salt = read_salt(args.salt_file)
        opts = {"length": args.length, "prefix": args.prefix}
        df = read_csv_text(args.input)
        out = pseudonymise_frame(df, args.column, salt, file=rel(args.input), **opts)
        atomic_write_text(args.output, to_csv_text(out))
    except InputError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"pseudonymised {', '.join(args.column)} of {len(out)} row(s) into {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
