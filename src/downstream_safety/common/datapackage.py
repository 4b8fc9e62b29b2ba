"""Frictionless Data Package descriptors generated from the pandera schemas.

The schemas each stage's ``schemas.tables(design)`` returns are the single
source of truth; ``datapackage.json`` is derived from them so that it cannot
drift. The raw package is committed (``data/raw/`` is never written by the
pipeline) and a test checks it is current; the processed package is written by
a rule and describes the processed tables the run's configuration produces.
Run from the study's folder (the design is read from ``config/config.yaml``):

    python -m downstream_safety.common.datapackage --raw      # rewrite data/raw/datapackage.json
    python -m downstream_safety.common.datapackage --check    # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import csv
import importlib
import importlib.util
import inspect
import json
import sys
from collections.abc import Iterable
from pathlib import Path

import pandera.pandas as pa
import yaml

from downstream_safety.instruments import design as study_design
from downstream_safety.instruments.design import Design


def schema_stages(stages: Iterable[str] | None = None) -> list[str]:
    """The stages that own tables: those with a ``schemas`` module.

    The workflow passes its stages (those that registered targets); without them
    (the raw package, written outside the workflow) every stage package counts.
    """
    import pkgutil

    import downstream_safety

    if stages is None:
        stages = [m.name for m in pkgutil.iter_modules(downstream_safety.__path__) if m.ispkg]
    return sorted(s for s in set(stages) if _has_schemas(s))


def _has_schemas(stage: str) -> bool:
    try:
        return importlib.util.find_spec(f"downstream_safety.{stage}.schemas") is not None
    except ModuleNotFoundError:  # not a package of its own (e.g. the workflow's "package")
        return False


LICENSES = {
    "raw": [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ],
}


def stage_tables(
    stage: str, design: Design, waves: Iterable[dict] = ()
) -> dict[str, pa.DataFrameSchema]:
    """A stage's tables: ``schemas.tables(design)``, or a constant ``TABLES``.

    The survey's raw tables are the configured wave files (``survey.waves``).
    """
    mod = importlib.import_module(f"downstream_safety.{stage}.schemas")
    if hasattr(mod, "tables"):
        if "waves" in inspect.signature(mod.tables).parameters:
            return mod.tables(design, waves=waves)
        return mod.tables(design)
    return dict(getattr(mod, "TABLES", {}))


def all_tables(
    design: Design, waves: Iterable[dict] = (), stages: Iterable[str] | None = None
) -> dict[str, pa.DataFrameSchema]:
    """Every table of every stage (of ``stages``, see :func:`schema_stages`), sorted by path."""
    tables: dict[str, pa.DataFrameSchema] = {}
    for stage in schema_stages(stages):
        tables.update(stage_tables(stage, design, waves))
    return dict(sorted(tables.items()))


def _field_type(col: pa.Column) -> str:
    d = str(col.dtype)
    if d.startswith("int") or d.startswith("Int"):
        return "integer"
    if d.startswith("float") or d.startswith("Float"):
        return "number"
    if d.startswith("bool"):
        return "boolean"
    return "string"


def field_descriptor(name: str, col: pa.Column) -> dict:
    field: dict = {"name": name, "type": _field_type(col)}
    if col.description:
        field["description"] = col.description
    constraints: dict = {}
    if not col.nullable and _field_type(col) != "string":
        constraints["required"] = True
    if col.unique:
        constraints["unique"] = True
    for check in col.checks:
        st = check.statistics or {}
        if check.name == "isin":
            constraints["enum"] = [v for v in st["allowed_values"]]
        elif (
            check.name in ("greater_than_or_equal_to", "in_range")
            and st.get("min_value") is not None
        ):
            constraints["minimum"] = st["min_value"]
        if check.name in ("less_than_or_equal_to", "in_range") and st.get("max_value") is not None:
            constraints["maximum"] = st["max_value"]
        if check.name == "str_matches":
            constraints["pattern"] = st["pattern"].lstrip("^").rstrip("$")
        if check.name == "str_length":
            if st.get("min_value") is not None:
                constraints["minLength"] = st["min_value"]
            if st.get("max_value") is not None:
                constraints["maxLength"] = st["max_value"]
    if constraints:
        field["constraints"] = constraints
    return field


def _fields(path: str, schema: pa.DataFrameSchema) -> list[dict]:
    """Fields in the file's own column order (Frictionless matches by position);
    columns the schema does not know (e.g. survey-tool metadata) are plain strings."""
    file = Path(path)
    names = list(schema.columns)
    if file.exists():
        with file.open(encoding="utf-8-sig", newline="") as fh:
            names = next(csv.reader(fh), names)
    fields = []
    for name in names:
        if name in schema.columns:
            fields.append(field_descriptor(name, schema.columns[name]))
        else:
            fields.append(
                {"name": name, "type": "string", "description": "extra column, not analysed"}
            )
    return fields


def resource_descriptor(path: str, schema: pa.DataFrameSchema, base: str) -> dict:
    rel_path = Path(path).relative_to(base).as_posix()
    name = rel_path.removesuffix(".csv").replace("/", "-").replace("_", "-").lower()
    res = {
        "name": name,
        "path": rel_path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "encoding": "utf-8",
        "schema": {"fields": _fields(path, schema)},
    }
    if schema.description:
        res["description"] = schema.description
    return res


def package_descriptor(
    kind: str,
    design: Design,
    produced: set[str] | None = None,
    waves: Iterable[dict] = (),
    stages: Iterable[str] | None = None,
    *,
    title: str,
    reconstructed: bool = False,
) -> dict:
    """Raw tables are all described; processed ones only if in ``produced`` (the
    run's outputs, which depend on the configuration: stages, snapshot).

    ``title`` is the config's ``study.title``; ``reconstructed`` its
    ``provenance.reconstructed`` (the raw records were written by the generators)."""
    base = f"data/{kind}"
    resources = [
        resource_descriptor(p, s, base)
        for p, s in all_tables(design, waves, stages).items()
        if p.startswith(base + "/")
        and "{" not in p
        and (kind == "raw" or (produced is not None and p in produced))
    ]
    desc = {
        "name": f"downstream-safety-{kind}",
        "title": f"{title}: {kind} data",
        "description": (
            (
                "Reconstructed records calibrated to the study's published aggregates (not "
                "the study's original data), plus the study instruments."
                if reconstructed
                else "The study's records, plus the study instruments."
            )
            if kind == "raw"
            else "Intermediate tables computed by the replication workflow from data/raw/."
        ),
        "profile": "tabular-data-package",
        "resources": resources,
    }
    if kind in LICENSES:
        desc["licenses"] = LICENSES[kind]
    return desc


def render(desc: dict) -> str:
    return json.dumps(desc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_processed(
    out: Path | str,
    design: Design,
    produced: list[str],
    title: str,
    stages: Iterable[str] | None = None,
) -> None:
    """The processed package: the tables of the workflow's ``stages`` that the run produced."""
    from downstream_safety.common.tableio import atomic_write_text

    desc = package_descriptor("processed", design, set(produced), stages=stages, title=title)
    atomic_write_text(out, render(desc))


def _study_from_config(config_file: Path) -> tuple[Design, list[dict], dict]:
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    tables = study_design.design_tables(config["instruments"]["folder"])
    design = study_design.load_design(tables, study_design.design_settings(config))
    identity = {
        "title": config["study"]["title"],
        "reconstructed": bool(config["provenance"].get("reconstructed", False)),
    }
    return design, list((config.get("survey") or {}).get("waves", [])), identity


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", action="store_true", help="rewrite data/raw/datapackage.json")
    ap.add_argument(
        "--check", action="store_true", help="fail if data/raw/datapackage.json is stale"
    )
    ap.add_argument("--config", type=Path, default=Path("config/config.yaml"))
    args = ap.parse_args(argv)
    raw_path = Path("data/raw/datapackage.json")
    design, waves, identity = _study_from_config(args.config)
    text = render(package_descriptor("raw", design, waves=waves, **identity))
    if args.raw:
        raw_path.write_text(text, encoding="utf-8")
    if args.check:
        if not raw_path.exists() or raw_path.read_text(encoding="utf-8") != text:
            print(
                "data/raw/datapackage.json is stale: run "
                "`python -m downstream_safety.common.datapackage --raw`",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
