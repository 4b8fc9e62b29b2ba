"""Read an AI Incident Database snapshot in the official export layout.

A snapshot is either the archive the AIID publishes (``backup-*.tar.bz2``,
whose CSV exports sit together in one folder of the archive) or that folder
unpacked. The snapshot stays outside the repository (CC BY-SA 4.0, with report
contents under their own rights); only ids, dates, titles and taxonomy
classifications are read, and nothing is written back under data/raw/ except
the minimal extract of ``aiid-extract`` (see ``extract``).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.paths import rel

INCIDENT_COLUMNS = [
    "_id",
    "incident_id",
    "date",
    "reports",
    "Alleged deployer of AI system",
    "Alleged developer of AI system",
    "Alleged harmed or nearly harmed parties",
    "description",
    "title",
]
JSON_ARRAY_COLUMNS = [
    "reports",
    "Alleged deployer of AI system",
    "Alleged developer of AI system",
    "Alleged harmed or nearly harmed parties",
]
MIT_FILE = "classifications_MIT.csv"
MIT_COLUMNS = ["Incident ID", "Risk Subdomain"]
_MIT_CODE = re.compile(r"^\s*(\d+\.\d+)\.?\s")
_FIX_LAYOUT = (
    "download the snapshot again from the AI Incident Database; the package reads its export as is"
)


ARCHIVE_SUFFIX = ".tar.bz2"
INCIDENTS_FILE = "incidents.csv"


def resolve(path: str | Path | None) -> Path | None:
    """Config paths are relative to the working directory the workflow runs in."""
    return None if path is None else Path(path)


def is_archive(path: str | Path) -> bool:
    return str(path).endswith(ARCHIVE_SUFFIX)


def snapshot_name(path: str | Path) -> str:
    """The snapshot's name: the archive's file name without .tar.bz2, or the folder's name."""
    name = Path(path).name
    return name[: -len(ARCHIVE_SUFFIX)] if is_archive(name) else name


@dataclass
class Snapshot:
    """One snapshot, folder or archive: its CSV files by name and their bytes' sha256."""

    path: Path
    name: str
    members: dict[str, str]  # file name -> path in the folder or member name in the archive
    _cache: dict[str, bytes] = field(default_factory=dict, repr=False)

    def has(self, file: str) -> bool:
        return file in self.members

    def label(self, file: str) -> str:
        """How errors name a file of the snapshot."""
        if is_archive(self.path):
            return f"{rel(self.path)}:{self.members.get(file, file)}"
        return rel(self.path / file)

    def data(self, file: str) -> bytes:
        if file not in self._cache:
            if file not in self.members:
                raise InputError(
                    self.label(file),
                    f"the AIID snapshot has no {file}",
                    fix=_FIX_LAYOUT + f" ({file} must sit beside incidents.csv)",
                )
            if is_archive(self.path):
                with tarfile.open(self.path, "r:bz2") as tf:
                    fh = tf.extractfile(self.members[file])
                    self._cache[file] = fh.read() if fh else b""
            else:
                self._cache[file] = Path(self.members[file]).read_bytes()
        return self._cache[file]

    def sha256(self, file: str) -> str:
        return hashlib.sha256(self.data(file)).hexdigest()

    def csv(self, file: str) -> pd.DataFrame:
        """Every cell as a string, as the package reads all its input tables."""
        label = self.label(file)
        try:
            text = self.data(file).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(label, f"not UTF-8 text: {exc}", fix=_FIX_LAYOUT) from None
        if not text.strip():
            raise InputError(label, "file is empty", fix=_FIX_LAYOUT)
        try:
            df = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                index_col=False,
            )
        except pd.errors.ParserError as exc:
            raise InputError(label, f"not a well-formed CSV: {exc}", fix=_FIX_LAYOUT) from None
        return df.rename(columns={c: c.strip() for c in df.columns})

    def raw_rows(self, file: str) -> list[list[str]]:
        """Header and rows with csv.reader: keeps repeated column names apart."""
        import csv

        text = self.data(file).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))

    def input_files(self) -> list[str]:
        """What a job reading this snapshot declares as input."""
        if is_archive(self.path):
            return [str(self.path)]
        return [str(self.path / f) for f in sorted(self.members)]


def open_snapshot(path: Path | str) -> Snapshot:
    """A snapshot folder or ``backup-*.tar.bz2`` archive, refused when it is neither."""
    path = Path(path)
    if is_archive(path) and path.is_file():
        return Snapshot(path, snapshot_name(path), _archive_members(path))
    if path.is_file():
        raise InputError(
            rel(path),
            "the AIID snapshot is a file but not a .tar.bz2 archive",
            fix="set incidents.aiid_snapshot to the backup-*.tar.bz2 archive the AI Incident "
            "Database publishes, to its unpacked folder, or to null",
        )
    if not path.is_dir():
        raise InputError(
            rel(path),
            "AIID snapshot folder or archive does not exist",
            fix="set incidents.aiid_snapshot in config/config.yaml to the snapshot archive "
            "(backup-*.tar.bz2) or its unpacked folder, or to null",
        )
    if not (path / INCIDENTS_FILE).is_file():
        raise InputError(
            rel(path / INCIDENTS_FILE),
            "the AIID snapshot folder has no incidents.csv",
            fix=_FIX_LAYOUT + " (incidents.csv must sit directly in the configured folder)",
        )
    members = {f.name: str(f) for f in sorted(path.glob("*.csv")) if f.is_file()}
    return Snapshot(path, snapshot_name(path), members)


def _archive_members(path: Path) -> dict[str, str]:
    try:
        with tarfile.open(path, "r:bz2") as tf:
            names = [m.name for m in tf.getmembers() if m.isfile()]
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise InputError(
            rel(path),
            f"not a readable .tar.bz2 archive ({exc})",
            fix="download the snapshot archive again from the AI Incident Database "
            "(incidentdatabase.ai/research/snapshots); the package reads it as published",
        ) from None
    folders = sorted(
        {
            n.rsplit("/", 1)[0] if "/" in n else ""
            for n in names
            if n.rsplit("/", 1)[-1] == INCIDENTS_FILE
        }
    )
    if not folders:
        raise InputError(
            rel(path),
            "the archive holds no incidents.csv",
            values=names[:10],
            fix="download the snapshot archive again; the AIID's archive holds its CSV "
            "exports (incidents.csv, classifications_*.csv) together in one folder",
        )
    if len(folders) > 1:
        raise InputError(
            rel(path),
            "the archive holds incidents.csv in more than one folder, so which snapshot "
            "to read is ambiguous",
            values=[f"{f}/{INCIDENTS_FILE}" if f else INCIDENTS_FILE for f in folders],
            fix="use the archive as the AI Incident Database publishes it (one folder of CSV "
            "exports) or unpack it and configure the folder to read",
        )
    folder = folders[0]
    out = {}
    for n in names:
        parent, _, base = n.rpartition("/")
        if parent == folder and base.endswith(".csv"):
            out[base] = n
    return out


def _check_columns(df: pd.DataFrame, expected: list[str], file: str) -> None:
    missing = [c for c in expected if c not in df.columns]
    if missing:
        raise InputError(
            file,
            "the column layout differs from the official AIID export",
            column=", ".join(missing),
            values=list(df.columns),
            fix=f"{_FIX_LAYOUT}; expected columns: {', '.join(expected)}",
        )


def _check_json_arrays(df: pd.DataFrame, file: str) -> None:
    for col in JSON_ARRAY_COLUMNS:
        bad = []
        for idx, cell in df[col].items():
            try:
                ok = isinstance(json.loads(cell), list)
            except (json.JSONDecodeError, TypeError):
                ok = False
            if not ok:
                bad.append(idx)
        if bad:
            raise InputError(
                file,
                "malformed JSON array",
                column=col,
                rows=[i + 2 for i in bad],
                values=df.loc[bad, col].str.slice(0, 40).tolist(),
                fix='write the cell as a JSON array, e.g. ["a","b"] or [] '
                "(re-export rather than editing by hand)",
            )


def _as_snapshot(source: Snapshot | Path | str) -> Snapshot:
    return source if isinstance(source, Snapshot) else open_snapshot(source)


_OBJECT_ID = re.compile(r"^ObjectId\(([0-9a-f]{24})\)$")


def created_utc(object_ids: pd.Series, file: str) -> pd.Series:
    """Creation time inside each MongoDB ObjectId (its first 4 bytes: Unix seconds, UTC)."""
    m = object_ids.str.extract(_OBJECT_ID, expand=False)
    if m.isna().any():
        raise InputError(
            file,
            "_id is not a MongoDB ObjectId(<24 hex digits>)",
            column="_id",
            rows=(object_ids.index[m.isna()] + 2).tolist(),
            values=object_ids[m.isna()].tolist(),
            fix=_FIX_LAYOUT,
        )
    seconds = m.map(lambda h: int(h[:8], 16))
    return pd.to_datetime(seconds, unit="s", utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def load_incidents(source: Snapshot | Path | str) -> pd.DataFrame:
    """incident_id, date, year, title, description, created_utc (from ``_id``)."""
    snap = _as_snapshot(source)
    file = snap.label(INCIDENTS_FILE)
    df = snap.csv(INCIDENTS_FILE)
    _check_columns(df, INCIDENT_COLUMNS, file)
    _check_json_arrays(df, file)
    ids = pd.to_numeric(df["incident_id"], errors="coerce")
    bad = ids.isna() | (ids < 1) | (ids % 1 != 0)
    if bad.any():
        raise InputError(
            file,
            "incident_id is not a positive integer",
            column="incident_id",
            rows=(df.index[bad] + 2).tolist(),
            values=df.loc[bad, "incident_id"].tolist(),
            fix=_FIX_LAYOUT,
        )
    dup = ids.duplicated(keep=False)
    if dup.any():
        raise InputError(
            file,
            "incident_id repeated",
            column="incident_id",
            rows=(df.index[dup] + 2).tolist(),
            fix=_FIX_LAYOUT,
        )
    dates = pd.to_datetime(df["date"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        raise InputError(
            file,
            "date is not YYYY-MM-DD",
            column="date",
            rows=(df.index[dates.isna()] + 2).tolist(),
            values=df.loc[dates.isna(), "date"].tolist(),
            fix=_FIX_LAYOUT,
        )
    out = pd.DataFrame(
        {
            "incident_id": ids.astype(int),
            "date": dates.dt.strftime("%Y-%m-%d"),
            "year": dates.dt.year.astype(int),
            "title": df["title"].str.strip(),
            "description": df["description"],
            "created_utc": created_utc(df["_id"], file),
        }
    )
    return out.sort_values("incident_id").reset_index(drop=True)


def mit_code(subdomain: str) -> str:
    m = _MIT_CODE.match(subdomain)
    return m.group(1) if m else ""


def load_mit(source: Snapshot | Path | str) -> pd.DataFrame:
    """incident_id, mit_code, mit_subdomain.

    The file is required: a snapshot without it is refused (the worksheet and
    the crosswalk agreement would otherwise be silently empty). ``source`` is a
    snapshot, or the extract folder, which keeps the file's layout.
    """
    snap = _as_snapshot(source)
    file = snap.label(MIT_FILE)
    df = snap.csv(MIT_FILE)
    _check_columns(df, MIT_COLUMNS, file)
    ids = pd.to_numeric(df["Incident ID"], errors="coerce")
    if ids.isna().any():
        raise InputError(
            file,
            "Incident ID is not an integer",
            column="Incident ID",
            rows=(df.index[ids.isna()] + 2).tolist(),
            fix=_FIX_LAYOUT,
        )
    codes = df["Risk Subdomain"].map(mit_code)
    bad = (codes == "") & (df["Risk Subdomain"].str.strip() != "")
    if bad.any():
        raise InputError(
            file,
            "Risk Subdomain does not start with a subdomain code such as '7.3.'",
            column="Risk Subdomain",
            rows=(df.index[bad] + 2).tolist(),
            values=df.loc[bad, "Risk Subdomain"].tolist(),
            fix=_FIX_LAYOUT,
        )
    out = pd.DataFrame(
        {
            "incident_id": ids.astype(int),
            "mit_code": codes,
            "mit_subdomain": df["Risk Subdomain"].str.strip(),
        }
    )
    out = out[out["mit_code"] != ""]
    dup = out["incident_id"].duplicated(keep=False)
    if dup.any():
        raise InputError(
            file,
            "an incident has more than one MIT classification row",
            column="Incident ID",
            rows=(out.index[dup] + 2).tolist(),
            fix=_FIX_LAYOUT,
        )
    return out.sort_values("incident_id").reset_index(drop=True)
