"""The minimal AIID extract committed under data/raw/incidents/aiid/.

``python3 repro.py aiid-extract SNAPSHOT`` reads a full AI Incident Database
snapshot (the published ``backup-*.tar.bz2`` or its unpacked folder) and
writes only what the real-data checks need, so they run on a fresh clone with
no download:

- ``incidents.csv``: incident id, date and the creation time decoded from the
  ``_id`` ObjectId (no titles, descriptions or reports);
- ``classifications_MIT.csv``: the MIT AI Risk Repository classification, in
  the snapshot's own column names;
- ``cset_annotators.csv``: the CSET v1 per-annotator answers to the closed-
  vocabulary fields listed in ``incidents.cset_fields`` (one row per incident
  and annotator file, one column per field);
- ``keyword_suggestions.csv``: per snapshot incident, the labels the committed
  keyword rules (``incidents.keyword_rules``) suggest from its title and
  description; the labels only, never the text they were found in, so the
  keyword pre-annotation quality runs on a fresh clone;
- ``README.md`` (attribution, snapshot name, sha256 of every source file and
  of the keyword rules file) and ``LICENSE.txt`` (CC BY-SA 4.0, the database's
  licence).

The keyword rules are checked against the taxonomy of the design named by the
config (``--config``, default ``config/config.yaml``): the subthemes of
``incidents.taxonomy_rq``.

The same snapshot always gives the same bytes. The folder is replaced as a
whole, so a failed run leaves the previous extract in place.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import read_csv_text
from downstream_safety.incidents.enrich import keyword_suggestions
from downstream_safety.incidents.load import Taxonomy, load_keyword_rules
from downstream_safety.incidents.snapshot import (
    INCIDENTS_FILE,
    MIT_FILE,
    Snapshot,
    load_incidents,
    open_snapshot,
)
from downstream_safety.instruments.design import design_settings, design_tables, load_design
from downstream_safety.paths import rel

DEFAULT_OUT = "data/raw/incidents/aiid"
DEFAULT_FIELDS = "data/raw/incidents/cset_fields.csv"
DEFAULT_RULES = "data/raw/incidents/keyword_rules.csv"
DEFAULT_CONFIG = "config/config.yaml"
CSET_FILE = "cset_annotators.csv"
KEYWORD_FILE = "keyword_suggestions.csv"
README = "README.md"
LICENCE = "LICENSE.txt"
EXTRACT_FILES = [INCIDENTS_FILE, MIT_FILE, CSET_FILE, KEYWORD_FILE, README, LICENCE]
# The README line that records the keyword rules file the suggestions come from.
RULES_LINE = re.compile(
    r"^Keyword rules: `(?P<name>[^`]+)`, SHA-256 `(?P<sha>[0-9a-f]{64})`\.$", re.M
)
MIT_KEEP = ["Incident ID", "Risk Domain", "Risk Subdomain", "Entity", "Timing", "Intent"]
CSET_ANNOTATOR = re.compile(r"^classifications_CSETv1_Annotator-(\d+)\.csv$")
CSET_KEYS = ["Incident ID", "Annotator"]
FIELD_KINDS = ["nominal", "multi"]
_FIX = (
    "download the snapshot again from the AI Incident Database; the package reads its export as is"
)


def load_fields(path: Path | str) -> pd.DataFrame:
    """field, occurrence, kind, note: the CSET v1 fields the agreement reference uses."""
    df = read_csv_text(path, required=["field", "occurrence", "kind", "note"])
    occ = pd.to_numeric(df["occurrence"], errors="coerce")
    bad = occ.isna() | (occ < 1)
    if bad.any():
        raise InputError(
            rel(path),
            "occurrence is not a positive integer",
            column="occurrence",
            rows=(df.index[bad] + 2).tolist(),
            fix="write 1 for a column name the export has once, 2 for its second occurrence",
        )
    kinds = ~df["kind"].isin(FIELD_KINDS)
    if kinds.any():
        raise InputError(
            rel(path),
            "unknown field kind",
            column="kind",
            rows=(df.index[kinds] + 2).tolist(),
            values=df.loc[kinds, "kind"].tolist(),
            fix="nominal (one answer) or multi (a comma-separated list of answers)",
        )
    df["occurrence"] = occ.astype(int)
    dup = df.duplicated(["field", "occurrence"], keep=False)
    if dup.any():
        raise InputError(
            rel(path),
            "a field is listed twice",
            column="field",
            rows=(df.index[dup] + 2).tolist(),
            fix="list each field (and occurrence) once",
        )
    return df


def field_key(field: str, occurrence: int) -> str:
    """How the extract names a field: its export name, '#2' for a repeated name."""
    return field if occurrence == 1 else f"{field} #{occurrence}"


def annotator_files(snap: Snapshot) -> dict[int, str]:
    files = {int(m.group(1)): f for f in snap.members if (m := CSET_ANNOTATOR.match(f))}
    if not files:
        raise InputError(
            snap.label("classifications_CSETv1_Annotator-1.csv"),
            "the snapshot has no per-annotator CSET v1 files",
            fix=_FIX + " (the full snapshot has classifications_CSETv1_Annotator-<n>.csv)",
        )
    return dict(sorted(files.items()))


def cset_long(snap: Snapshot, fields: pd.DataFrame) -> pd.DataFrame:
    """incident_id, annotator_file, annotator, field, value for the listed fields."""
    rows = []
    for number, file in annotator_files(snap).items():
        table = snap.raw_rows(file)
        header, body = table[0], table[1:]
        label = snap.label(file)
        cols = {}
        for name in [*CSET_KEYS, *zip(fields["field"], fields["occurrence"], strict=True)]:
            field, occ = (name, 1) if isinstance(name, str) else name
            where = [i for i, h in enumerate(header) if h.strip() == field]
            if len(where) < occ:
                raise InputError(
                    label,
                    "the column layout differs from the official CSET v1 export",
                    column=field_key(field, occ),
                    fix=f"{_FIX}; or correct the field list (incidents.cset_fields)",
                )
            cols[field_key(field, occ)] = where[occ - 1]
        short = [i + 2 for i, r in enumerate(body) if len(r) != len(header)]
        if short:
            raise InputError(
                label,
                "rows with a different number of fields than the header",
                rows=short,
                fix=_FIX,
            )
        for i, r in enumerate(body):
            inc = r[cols["Incident ID"]].strip()
            if not inc.isdigit():
                raise InputError(
                    label,
                    "Incident ID is not an integer",
                    column="Incident ID",
                    rows=[i + 2],
                    values=[inc],
                    fix=_FIX,
                )
            for f, occ in zip(fields["field"], fields["occurrence"], strict=True):
                key = field_key(f, occ)
                rows.append(
                    {
                        "incident_id": int(inc),
                        "annotator_file": number,
                        "annotator": r[cols["Annotator"]].strip(),
                        "field": key,
                        "value": r[cols[key]].strip(),
                    }
                )
    out = pd.DataFrame(
        rows, columns=["incident_id", "annotator_file", "annotator", "field", "value"]
    )
    order = {
        field_key(f, o): i
        for i, (f, o) in enumerate(zip(fields["field"], fields["occurrence"], strict=True))
    }
    out["_o"] = out["field"].map(order)
    dup = out.duplicated(["incident_id", "annotator_file", "field"], keep=False)
    if dup.any():
        ids = sorted(set(out.loc[dup, "incident_id"]))
        raise InputError(
            snap.label("classifications_CSETv1_Annotator-1.csv"),
            "an incident appears twice in one annotator file",
            column="Incident ID",
            values=ids[:10],
            fix=_FIX,
        )
    return (
        out.sort_values(["incident_id", "annotator_file", "_o"])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def cset_wide(long: pd.DataFrame, fields: pd.DataFrame) -> pd.DataFrame:
    """One row per incident and annotator file, one column per field (in list order)."""
    keys = [field_key(f, o) for f, o in zip(fields["field"], fields["occurrence"], strict=True)]
    wide = long.pivot(
        index=["incident_id", "annotator_file", "annotator"], columns="field", values="value"
    )
    return wide.reindex(columns=keys).reset_index().sort_values(["incident_id", "annotator_file"])


def _csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue().encode("utf-8")


def licence_text() -> bytes:
    return resources.files("downstream_safety.incidents").joinpath("CC-BY-SA-4.0.txt").read_bytes()


def file_sha256(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def suggestions(incidents: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """incident_id, suggested_labels (sorted, ';'-joined, empty when no rule fires).

    The text is the snapshot's title and description joined by a space, as
    the pre-annotation worksheet matches them."""
    rows = [
        {
            "incident_id": int(i),
            "suggested_labels": ";".join(sorted(set(keyword_suggestions(f"{t} {d}", rules)[0]))),
        }
        for i, t, d in incidents[["incident_id", "title", "description"]].itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=["incident_id", "suggested_labels"]).sort_values(
        "incident_id"
    )


def readme(
    snap: Snapshot,
    read: list[str],
    fields: pd.DataFrame,
    counts: dict[str, int],
    rules: tuple[str, str],
) -> bytes:
    lines = [
        "# AI Incident Database extract",
        "",
        "A minimal extract of a public AI Incident Database (AIID) snapshot, made by",
        "`python3 repro.py aiid-extract SNAPSHOT` (`downstream_safety.incidents.extract`).",
        "Running the command on the same snapshot writes these files byte for byte.",
        "",
        "## Attribution and licence",
        "",
        "- Incident records: AI Incident Database, Responsible AI Collaborative",
        "  (https://incidentdatabase.ai), shared under CC BY-SA 4.0.",
        "- `classifications_MIT.csv`: the AIID's classification of its incidents in the MIT AI",
        "  Risk Repository taxonomy (domains and subdomains of AI risk).",
        "- `cset_annotators.csv`: the AIID's CSET v1 taxonomy annotations (Center for Security",
        "  and Emerging Technology), from the snapshot's per-annotator files.",
        "",
        f"These files are shared under the same licence, CC BY-SA 4.0; its text is in `{LICENCE}`.",
        "They were adapted by selecting columns and rows and reshaping the CSET answers (see",
        "below). The rest of the repository keeps its own licence. Titles, descriptions and",
        "report texts are not included: report contents keep their own rights.",
        "",
        "## Source",
        "",
        f"Snapshot: `{snap.name}`. SHA-256 of each file read:",
        "",
        "| file | sha256 |",
        "|---|---|",
        *[f"| {f} | `{snap.sha256(f)}` |" for f in read],
        "",
        "## Files",
        "",
        f"- `{INCIDENTS_FILE}` ({counts[INCIDENTS_FILE]} rows): `incident_id`, `date` (of the",
        "  incident, as the AIID gives it) and `created_utc`, the time the record was created,",
        "  decoded from the first four bytes of its MongoDB `_id` ObjectId.",
        f"- `{MIT_FILE}` ({counts[MIT_FILE]} rows): the snapshot's columns "
        + ", ".join(f"`{c}`" for c in MIT_KEEP)
        + ".",
        f"- `{CSET_FILE}` ({counts[CSET_FILE]} rows): `incident_id`, `annotator_file` (n of",
        "  `classifications_CSETv1_Annotator-<n>.csv`), `annotator` (the export's annotator",
        "  code) and one column per closed-vocabulary field of",
        f"  `{DEFAULT_FIELDS}` ({len(fields)} fields; a repeated column name is written",
        "  `<name> #2`).",
        f"- `{KEYWORD_FILE}` ({counts[KEYWORD_FILE]} rows): `incident_id` and",
        "  `suggested_labels`, the labels the keyword rules suggest from the incident's title",
        "  and description (sorted, `;`-joined, empty when no rule fires). Only the labels are",
        "  kept, never the words that matched.",
        "",
        "## Keyword rules",
        "",
        "The pipeline computes the keyword pre-annotation quality from these suggestions and",
        "stops when the configured rules file's SHA-256 differs from the one below (rewrite",
        "the extract with the snapshot, or restore the rules).",
        "",
        f"Keyword rules: `{rules[0]}`, SHA-256 `{rules[1]}`.",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def build(
    snapshot: Path | str,
    fields_path: Path | str,
    rules_path: Path | str = DEFAULT_RULES,
    taxonomy: Taxonomy | None = None,
) -> dict[str, bytes]:
    """File name -> bytes of the extract."""
    snap = open_snapshot(snapshot)
    fields = load_fields(fields_path)
    rules = load_keyword_rules(rules_path, taxonomy or config_taxonomy(DEFAULT_CONFIG))
    full = load_incidents(snap)
    inc = full[["incident_id", "date", "created_utc"]]
    kw = suggestions(full, rules)
    mit = snap.csv(MIT_FILE)
    missing = [c for c in MIT_KEEP if c not in mit.columns]
    if missing:
        raise InputError(
            snap.label(MIT_FILE),
            "the column layout differs from the official AIID export",
            column=", ".join(missing),
            fix=_FIX,
        )
    mit = mit[MIT_KEEP].copy()
    mit["_id"] = pd.to_numeric(mit["Incident ID"], errors="coerce")
    mit = mit.sort_values("_id", kind="stable").drop(columns="_id")
    cset = cset_long(snap, fields)
    read = sorted([INCIDENTS_FILE, MIT_FILE, *annotator_files(snap).values()])
    files = {
        INCIDENTS_FILE: _csv_bytes(inc),
        MIT_FILE: _csv_bytes(mit),
        CSET_FILE: _csv_bytes(cset_wide(cset, fields)),
        KEYWORD_FILE: _csv_bytes(kw),
        LICENCE: licence_text(),
    }
    counts = {
        INCIDENTS_FILE: len(inc),
        MIT_FILE: len(mit),
        CSET_FILE: len(cset.drop_duplicates(["incident_id", "annotator_file"])),
        KEYWORD_FILE: len(kw),
    }
    files[README] = readme(
        snap, read, fields, counts, (Path(rules_path).name, file_sha256(rules_path))
    )
    return {f: files[f] for f in EXTRACT_FILES}


def write(files: dict[str, bytes], out: Path | str) -> None:
    """Replace the folder as a whole (nothing half-written on failure)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".aiid-extract-", dir=out.parent))
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        if out.exists():
            old = out.with_name(out.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
        out.chmod(0o755)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def config_taxonomy(config_path: Path | str) -> Taxonomy:
    """The incident labels of the design the config names."""
    path = Path(config_path)
    if not path.is_file():
        raise InputError(rel(path), "config file not found", fix="pass --config CONFIG.yaml")
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    folder = (config.get("instruments") or {}).get("folder")
    if not folder:
        raise InputError(
            rel(path),
            "no instrument folder",
            column="instruments.folder",
            fix="name the design's instrument folder in the config",
        )
    return Taxonomy.of(load_design(design_tables(folder), design_settings(config)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="repro.py aiid-extract",
        description="Write the minimal AIID extract (ids, dates, creation times, MIT and CSET v1 "
        "classifications, keyword-rule labels, licence) from a snapshot archive or folder.",
    )
    ap.add_argument("snapshot", help="backup-*.tar.bz2 as downloaded, or its unpacked folder")
    ap.add_argument("--out", default=DEFAULT_OUT, help=f"folder to write (default {DEFAULT_OUT})")
    ap.add_argument(
        "--fields",
        default=DEFAULT_FIELDS,
        help=f"CSET v1 fields to keep (default {DEFAULT_FIELDS})",
    )
    ap.add_argument(
        "--keyword-rules",
        default=DEFAULT_RULES,
        help=f"keyword rules whose suggestions the extract keeps (default {DEFAULT_RULES})",
    )
    ap.add_argument(
        "--config",
        default=DEFAULT_CONFIG,
        help=f"config naming the design whose taxonomy the rules use (default {DEFAULT_CONFIG})",
    )
    args = ap.parse_args(argv)
    try:
        taxonomy = config_taxonomy(args.config)
        files = build(args.snapshot, args.fields, args.keyword_rules, taxonomy)
        write(files, args.out)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {args.out}: {', '.join(files)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
