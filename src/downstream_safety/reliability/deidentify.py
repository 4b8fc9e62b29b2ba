"""Write the publishable wave of a survey export: only the columns the design uses.

    python3 repro.py deidentify --format qualtrics --salt-file ~/secrets/study.salt \\
        private/export.csv data/raw/survey/wave2.csv

The export stays outside the repository (or in its git-ignored ``private/``);
the output is the same platform's format, with the same header rows, holding
only the response id, the platform's status and finish columns and the design's
columns (items, demographic questions, screening columns, after the wave's
``columns:`` mapping). Every other column is dropped: an allow-list, so a
column the platform adds next year is dropped too. The response id becomes a
keyed pseudonym (HMAC-SHA256 with the secret salt, reliability/pseudonymise.py),
so verdicts and later waves still join. The output is scanned by the privacy
gate before it is written. ``--verdicts`` writes the wave's ``verdicts:`` file
with the same pseudonyms.

``--format refi_qda`` hands over to the interview stage's de-identification of
a ``.qdpx`` project (``downstream_safety.interviews.refi_deidentify``).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import importlib
import io
import sys
import tempfile
from pathlib import Path

import pandas as pd
import yaml

from downstream_safety.common.errors import InputError
from downstream_safety.common.tableio import atomic_write_bytes, read_csv_text, to_csv_text
from downstream_safety.instruments.design import design_settings, design_tables, load_design
from downstream_safety.paths import rel
from downstream_safety.reliability import privacy
from downstream_safety.reliability.pseudonymise import pseudonymise_frame, read_salt
from downstream_safety.survey.load import wanted_columns
from downstream_safety.survey.platforms import FORMATS, limesurvey, qualtrics
from downstream_safety.survey.platforms.common import (
    ID_COLUMN,
    decode_text,
    delimiter_of,
    read_mapping,
    read_rows,
    select,
)
from downstream_safety.survey.platforms.detect import limesurvey_code

REFI_MODULE = "downstream_safety.interviews.refi_deidentify"
ID_PREFIX = "R_"


def _wave_of(config: dict, out: Path, fmt: str) -> dict:
    """The configured wave whose ``responses`` is ``out`` (its mapping files apply)."""
    waves = (config.get("survey") or {}).get("waves") or []
    for w in waves:
        if Path(w["responses"]).resolve() == out.resolve():
            if w.get("format", "plain") != fmt:
                raise InputError(
                    "config/config.yaml",
                    f"survey wave '{w['id']}' reads {w['responses']} as "
                    f"{w.get('format', 'plain')}, not {fmt}",
                    column="survey.waves[].format",
                    fix=f"run with --format {w.get('format', 'plain')}, or set the wave's format",
                )
            return w
    return {}


def _hash_ids(values: list[str], salt: bytes, file: str) -> list[str]:
    df = pd.DataFrame({ID_COLUMN: values}, dtype=str)
    return pseudonymise_frame(df, [ID_COLUMN], salt, file=file, prefix=ID_PREFIX)[
        ID_COLUMN
    ].tolist()


def _csv_bytes(rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = buf.getvalue()
    if encoding == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)


def _text_export(fmt, path, wanted, mapping, salt) -> tuple[bytes, list[str]]:
    """A Qualtrics or LimeSurvey export with its header rows, only allowed columns kept."""
    file = rel(path)
    text, encoding = decode_text(path)
    first = text.split("\n", 1)[0]
    if fmt == "qualtrics":
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        rows = read_rows(text, delimiter)
        found = qualtrics.layout_of(rows)
        if found is None:
            qualtrics.read(path, "deidentify", wanted)  # raises the reader's refusal
        _, n_header, names = found
        id_tag = next((t for t in qualtrics.ID_TAGS if t in names), qualtrics.ID_TAGS[0])
        meta = [id_tag, qualtrics.STATUS_TAG, qualtrics.FINISHED_TAG]
    else:
        delimiter = delimiter_of(first, ";,\t")
        rows = read_rows(text, delimiter)
        n_header = 1
        names = [limesurvey.FULL_HEADINGS.get(c.strip(), limesurvey_code(c)) for c in rows[0][1]]
        id_tag = limesurvey.ID_TAG
        meta = [limesurvey.ID_TAG, limesurvey.SUBMITTED]
    missing = [m for m in meta if m not in names]
    if missing:
        raise InputError(
            file,
            "required platform column(s) missing",
            column=", ".join(missing),
            rows=[1],
            fix="export the response id and status columns too",
        )
    keep = select(names, mapping, wanted, {m: m for m in meta}, file, "deidentify")
    idx = sorted(keep)
    id_at = names.index(id_tag)
    body = [r for _, r in rows[n_header:]]
    hashed = _hash_ids([r[id_at] if id_at < len(r) else "" for r in body], salt, file)
    out = [[r[i] if i < len(r) else "" for i in idx] for _, r in rows[:n_header]]
    for r, pid in zip(body, hashed, strict=True):
        out.append([pid if i == id_at else (r[i] if i < len(r) else "") for i in idx])
    dropped = [n for i, n in enumerate(names) if i not in keep]
    return _csv_bytes(out, delimiter, encoding), dropped


def _spss_export(path, wanted, mapping, salt) -> tuple[bytes, list[str]]:
    import pyreadstat  # the maintained SPSS reader/writer

    from downstream_safety.survey.platforms import spss

    file = rel(path)
    _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
    names = list(meta.column_names)
    layout = next(((i, m) for _, i, m in spss.LAYOUTS if i in names and set(m) <= set(names)), None)
    if layout is None:
        spss.read(path, "deidentify", wanted)  # raises the reader's refusal
    id_var, meta_vars = layout
    keep = select(
        names, mapping, wanted, {id_var: id_var, **{m: m for m in meta_vars}}, file, "deidentify"
    )
    cols = [names[i] for i in sorted(keep)]
    df, meta = pyreadstat.read_sav(str(path), usecols=cols)
    ids = [spss_id for spss_id in df[id_var].map(_id_text)]
    df[id_var] = _hash_ids(ids, salt, file)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "wave.sav"
        pyreadstat.write_sav(
            df,
            str(target),
            column_labels={c: meta.column_names_to_labels.get(c) or c for c in cols},
            variable_value_labels={
                c: v for c, v in meta.variable_value_labels.items() if c in cols and c != id_var
            },
        )
        data = target.read_bytes()
    return data, [n for n in names if n not in cols]


def _id_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None or value != value else str(value)


def _plain_export(path, wanted, salt) -> tuple[bytes, list[str]]:
    df = read_csv_text(path, required=[ID_COLUMN])
    keep = [ID_COLUMN, *(c for c in df.columns if c in wanted.columns)]
    out = pseudonymise_frame(df[keep], [ID_COLUMN], salt, file=rel(path), prefix=ID_PREFIX)
    return to_csv_text(out).encode("utf-8"), [c for c in df.columns if c not in keep]


def deidentify(fmt, export, out, salt, config) -> list[str]:
    """Write the publishable wave; returns the names of the dropped columns."""
    design = load_design(design_tables(config["instruments"]["folder"]), design_settings(config))
    wanted = wanted_columns(design)
    wave = _wave_of(config, out, fmt)
    mapping = read_mapping(wave.get("columns"), wanted, wave.get("id", "deidentify"))
    if fmt == "plain":
        data, dropped = _plain_export(export, wanted, salt)
    elif fmt == "spss":
        data, dropped = _spss_export(export, wanted, mapping, salt)
    else:
        data, dropped = _text_export(fmt, export, wanted, mapping, salt)
    scan_privacy(rel(out), data, config)
    atomic_write_bytes(out, data)
    return dropped


def scan_privacy(label: str, data: bytes, config: dict) -> None:
    """The privacy gate over the new file before it is written."""
    settings = config.get("privacy") or {}
    deny = privacy.read_deny_list(Path(settings["deny_list"])) if settings.get("deny_list") else []
    allow = privacy.parse_allow(settings.get("allow"))
    _, hits = privacy.scan_bytes(label, data, privacy.name_pattern(deny))
    hits = [h for h in hits if not any(r.allows(h) for r in allow)]
    if hits:
        raise privacy.hits_error(hits)


def pseudonymise_verdicts(src: Path, out: Path, salt: bytes) -> None:
    df = read_csv_text(src, required=[ID_COLUMN])
    hashed = pseudonymise_frame(df, [ID_COLUMN], salt, file=rel(src), prefix=ID_PREFIX)
    atomic_write_bytes(out, to_csv_text(hashed).encode("utf-8"))


def refi_main(argv: list[str]) -> int:
    """The interview stage's .qdpx de-identification, loaded only when asked for."""
    try:
        module = importlib.import_module(REFI_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name and REFI_MODULE.startswith(exc.name):
            print(
                f"--format refi_qda needs {REFI_MODULE}, which this version of the package "
                "does not have; de-identify the project's transcripts by hand",
                file=sys.stderr,
            )
            return 2
        raise
    return int(module.main(argv) or 0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Write the publishable wave of a survey export (only the columns the "
        "design uses; ids pseudonymised)."
    )
    ap.add_argument("--format", required=True, choices=[*FORMATS, "refi_qda"])
    ap.add_argument("--salt-file", required=True, type=Path, help="secret salt, outside the repo")
    ap.add_argument("--config", type=Path, default=Path("config/config.yaml"))
    ap.add_argument("--verdicts", type=Path, help="the wave's verdicts CSV, kept with the export")
    ap.add_argument("export", type=Path, help="the platform's export, kept outside the repository")
    ap.add_argument("output", type=Path, help="the wave's file, e.g. data/raw/survey/wave2.csv")
    args, rest = ap.parse_known_args(argv)
    if args.format == "refi_qda":
        return refi_main(
            [
                "--salt-file",
                str(args.salt_file),
                "--config",
                str(args.config),
                *rest,
                str(args.export),
                str(args.output),
            ]  # fmt: skip
        )
    if rest:
        ap.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.export.resolve() == args.output.resolve():
        ap.error("the output must differ from the export (the original is kept)")
    try:
        salt = read_salt(args.salt_file)
        config = yaml.safe_load(args.config.read_text(encoding="utf-8"))
        dropped = deidentify(args.format, args.export, args.output, salt, config)
        print(
            f"wrote {args.output}: response ids pseudonymised, {len(dropped)} column(s) not "
            "used by the design dropped"
        )
        if args.verdicts:
            wave = _wave_of(config, args.output, args.format)
            if not wave.get("verdicts"):
                raise InputError(
                    rel(args.config),
                    "--verdicts given, but the wave has no verdicts file",
                    column="survey.waves[].verdicts",
                    fix="name the wave's verdicts CSV in config, then run again",
                )
            pseudonymise_verdicts(args.verdicts, Path(wave["verdicts"]), salt)
            print(f"wrote {wave['verdicts']} with the same pseudonyms")
    except InputError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
