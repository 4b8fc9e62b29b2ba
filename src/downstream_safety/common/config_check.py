"""Readable config errors: one line per problem, naming the key path.

jsonschema (through ``snakemake.utils.validate``) reports a stage block that can
also be ``null`` as one ``oneOf`` failure holding the whole block, which names no
key. This module validates with the same schemas and the same library, looks
inside such alternatives for the branch the user meant (the block, not
``null``), and turns each leaf error into a message with the key path, what is
expected and the fix. Defaults are still set afterwards by Snakemake's
``validate``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

README = "config/README.md"


class ConfigError(Exception):
    """The configuration breaks its schema; the message names every bad key."""


def _registry(schema_dir: Path) -> Registry:
    """Every schema of the folder, addressable by its file name (relative $refs)."""
    resources = []
    for path in sorted(schema_dir.glob("*.yaml")):
        contents = yaml.safe_load(path.read_text(encoding="utf-8"))
        resources.append(
            (path.name, Resource.from_contents(contents, default_specification=DRAFT202012))
        )
    return Registry().with_resources(resources)


def _key(path) -> str:
    parts = []
    for p in path:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts) or "(top level)"


def _is_null_branch(schema: Mapping) -> bool:
    return isinstance(schema, Mapping) and schema.get("type") == "null" and len(schema) == 1


def _leaves(err: ValidationError) -> Iterator[ValidationError]:
    """The errors a user can act on: inside oneOf/anyOf, the branch they meant."""
    if err.validator in ("oneOf", "anyOf") and err.context:
        branches: dict[int, list[ValidationError]] = {}
        for sub in err.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        options = err.validator_value
        if err.instance is not None:
            # A block was given, so the user did not mean "null": drop that branch.
            branches = {i: e for i, e in branches.items() if not _is_null_branch(options[i])}
        if len(branches) == 1:
            for sub in next(iter(branches.values())):
                yield from _leaves(sub)
            return
    yield err


def _expected(schema: Mapping) -> str:
    if not isinstance(schema, Mapping):
        return ""
    bits = []
    if "enum" in schema:
        bits.append("one of " + ", ".join(repr(v) for v in schema["enum"]))
    elif "type" in schema:
        bits.append(f"a value of type {schema['type']}")
    if "pattern" in schema:
        bits.append(f"matching {schema['pattern']}")
    for bound in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if bound in schema:
            bits.append(f"{bound} {schema[bound]}")
    if schema.get("description"):
        bits.append(f"({' '.join(str(schema['description']).split())})")
    return " ".join(bits)


def _message(err: ValidationError) -> str:
    where = list(err.absolute_path)
    section = str(where[0]) if where else "the top level"
    see = f"every key, its type and default are in {README} (section `{section}`)"
    if err.validator == "required":
        # A key with a default is filled in (validate_config), so it is never missing.
        props = err.schema.get("properties", {})
        missing = [
            k
            for k in err.validator_value
            if k not in (err.instance or {}) and "default" not in props.get(k, {})
        ]
        lines = []
        for name in missing:
            key = _key([*where, name])
            sub = err.schema.get("properties", {}).get(name, {})
            lines.append(
                f"config key `{key}` is missing; expected {_expected(sub) or 'a value'}.\n"
                f"  fix: add `{name}:` under `{_key(where)}`; {see}."
            )
        return "\n".join(lines)
    if err.validator == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        lines = []
        for name in sorted(k for k in err.instance if k not in allowed):
            key = _key([*where, name])
            close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
            hint = f"did you mean `{_key([*where, close[0]])}`? " if close else ""
            lines.append(
                f"config key `{key}` is not a known key.\n"
                f"  fix: {hint}valid keys here: {', '.join(allowed) or '(none)'}; {see}."
            )
        return "\n".join(lines)
    return (
        f"config key `{_key(where)}` has the value {err.instance!r}: {err.message}; "
        f"expected {_expected(err.schema) or 'what the schema describes'}.\n"
        f"  fix: correct the value; {see}."
    )


def config_problems(config: Mapping, schema_file: Path) -> list[str]:
    """Messages for every problem of ``config`` under the schema, in key order."""
    schema_file = Path(schema_file)
    schema = yaml.safe_load(schema_file.read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, registry=_registry(schema_file.parent))
    leaves = [leaf for err in validator.iter_errors(config) for leaf in _leaves(err)]
    leaves.sort(key=lambda e: (_key(e.absolute_path), e.validator))
    messages = []
    for leaf in leaves:
        msg = _message(leaf)
        if msg and msg not in messages:
            messages.append(msg)
    return messages


def _stage_schemas(schema_file: Path) -> dict[str, Path]:
    """Top-level keys whose block has a schema file of its own ($ref, or oneOf null/$ref)."""
    schema = yaml.safe_load(schema_file.read_text(encoding="utf-8"))
    stages = {}
    for key, sub in schema.get("properties", {}).items():
        refs = [sub.get("$ref")] + [o.get("$ref") for o in sub.get("oneOf", [])]
        refs = [r for r in refs if r]
        if refs:
            stages[key] = schema_file.parent / refs[0]
    return stages


def validate_config(config: dict, schema_file: Path | str, validate, files: str) -> None:
    """Check ``config``, naming every bad key, then fill in the schema's defaults.

    ``validate`` is ``snakemake.utils.validate``, which sets defaults but does not
    reach into a stage's schema behind ``$ref``/``oneOf``; each stage block is
    therefore validated against its own schema too, which sets its defaults.
    """
    schema_file = Path(schema_file).resolve()
    problems = config_problems(config, schema_file)
    if problems:
        raise ConfigError(
            f"Invalid configuration (file(s): {files} and any --config values): "
            f"{len(problems)} problem(s).\n" + "\n".join(problems)
        )
    for key, stage_schema in _stage_schemas(schema_file).items():
        if isinstance(config.get(key), dict):
            validate(config[key], schema=str(stage_schema))
    validate(config, schema=str(schema_file))
