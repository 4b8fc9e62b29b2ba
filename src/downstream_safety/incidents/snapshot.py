"""Read an AI Incident Database snapshot in the official export layout.

The snapshot stays outside the repository (CC BY-SA 4.0, with report contents
under their own rights); only ids, dates and titles are read into processed
outputs, never written back under data/raw/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import read_csv_text
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


def resolve(path: str | Path | None) -> Path | None:
    """Config paths are relative to the working directory the workflow runs in."""
    return None if path is None else Path(path)


def _folder(folder: Path) -> Path:
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            rel(folder),
            "AIID snapshot folder does not exist",
            fix="set incidents.aiid_snapshot in config/config.yaml to the unpacked snapshot "
            "folder, or to null",
        )
    if not (folder / "incidents.csv").is_file():
        raise InputError(
            rel(folder / "incidents.csv"),
            "the AIID snapshot folder has no incidents.csv",
            fix=_FIX_LAYOUT + " (incidents.csv must sit directly in the configured folder)",
        )
    return folder


def _check_columns(df: pd.DataFrame, expected: list[str], file: Path) -> None:
    missing = [c for c in expected if c not in df.columns]
    if missing:
        raise InputError(
            rel(file),
            "the column layout differs from the official AIID export",
            column=", ".join(missing),
            values=list(df.columns),
            fix=f"{_FIX_LAYOUT}; expected columns: {', '.join(expected)}",
        )


def _check_json_arrays(df: pd.DataFrame, file: Path) -> None:
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
                rel(file),
                "malformed JSON array",
                column=col,
                rows=[i + 2 for i in bad],
                values=df.loc[bad, col].str.slice(0, 40).tolist(),
                fix='write the cell as a JSON array, e.g. ["a","b"] or [] '
                "(re-export rather than editing by hand)",
            )


def load_incidents(folder: Path | str) -> pd.DataFrame:
    """incident_id, date, year, title (the only fields the analysis uses)."""
    folder = _folder(Path(folder))
    file = folder / "incidents.csv"
    df = read_csv_text(file)
    _check_columns(df, INCIDENT_COLUMNS, file)
    _check_json_arrays(df, file)
    ids = pd.to_numeric(df["incident_id"], errors="coerce")
    bad = ids.isna() | (ids < 1) | (ids % 1 != 0)
    if bad.any():
        raise InputError(
            rel(file),
            "incident_id is not a positive integer",
            column="incident_id",
            rows=(df.index[bad] + 2).tolist(),
            values=df.loc[bad, "incident_id"].tolist(),
            fix=_FIX_LAYOUT,
        )
    dup = ids.duplicated(keep=False)
    if dup.any():
        raise InputError(
            rel(file),
            "incident_id repeated",
            column="incident_id",
            rows=(df.index[dup] + 2).tolist(),
            fix=_FIX_LAYOUT,
        )
    dates = pd.to_datetime(df["date"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        raise InputError(
            rel(file),
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
        }
    )
    return out.sort_values("incident_id").reset_index(drop=True)


def mit_code(subdomain: str) -> str:
    m = _MIT_CODE.match(subdomain)
    return m.group(1) if m else ""


def load_mit(folder: Path | str) -> pd.DataFrame:
    """incident_id, mit_code, mit_subdomain; empty frame when the file is absent."""
    file = _folder(Path(folder)) / MIT_FILE
    if not file.is_file():
        return pd.DataFrame(
            {"incident_id": pd.Series(dtype=int), "mit_code": [], "mit_subdomain": []}
        )
    df = read_csv_text(file)
    _check_columns(df, MIT_COLUMNS, file)
    ids = pd.to_numeric(df["Incident ID"], errors="coerce")
    if ids.isna().any():
        raise InputError(
            rel(file),
            "Incident ID is not an integer",
            column="Incident ID",
            rows=(df.index[ids.isna()] + 2).tolist(),
            fix=_FIX_LAYOUT,
        )
    codes = df["Risk Subdomain"].map(mit_code)
    bad = (codes == "") & (df["Risk Subdomain"].str.strip() != "")
    if bad.any():
        raise InputError(
            rel(file),
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
            rel(file),
            "an incident has more than one MIT classification row",
            column="Incident ID",
            rows=(out.index[dup] + 2).tolist(),
            fix=_FIX_LAYOUT,
        )
    return out.sort_values("incident_id").reset_index(drop=True)
