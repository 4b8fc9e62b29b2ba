"""Test instrumentation: record every file a Snakemake job's Python process opens.

Put this folder on PYTHONPATH and set DS_OPEN_AUDIT to a folder. Every Python
process streams the files it opens to ``process-<pid>.jsonl`` (first line: its
parent's pid), so a notebook kernel that is killed at shutdown still leaves its
record; a job script also writes, when it exits, its rule, declared inputs,
outputs and logs to ``<rule>-<pid>.json``.
"""

import atexit
import json
import os
import sys

_DIR = os.environ.get("DS_OPEN_AUDIT")

if _DIR:
    _opened: set[str] = set()
    _state = {"fh": None, "pid": None, "busy": False}

    def _stream(path: str) -> None:
        if _state["pid"] != os.getpid():  # first open, or a forked child
            _state["fh"] = open(  # noqa: SIM115 - kept open for the process's life
                os.path.join(_DIR, f"process-{os.getpid()}.jsonl"), "a", encoding="utf-8"
            )
            _state["pid"] = os.getpid()
            _state["fh"].write(json.dumps({"ppid": os.getppid()}) + "\n")
        _state["fh"].write(json.dumps(path) + "\n")
        _state["fh"].flush()

    def _hook(event, args):
        if event != "open" or _state["busy"] or not args:
            return
        if not isinstance(args[0], str | bytes | os.PathLike):
            return
        try:
            path = os.path.abspath(os.fsdecode(args[0]))
        except (TypeError, ValueError):
            return
        if path in _opened:
            return
        _opened.add(path)
        _state["busy"] = True
        try:
            _stream(path)
        finally:
            _state["busy"] = False

    sys.addaudithook(_hook)

    def _dump():
        smk = getattr(sys.modules.get("__main__"), "snakemake", None)
        if smk is None:
            return
        record = {
            "pid": os.getpid(),
            "rule": smk.rule,
            "wildcards": dict(smk.wildcards.items()),
            "input": sorted(os.path.abspath(str(p)) for p in smk.input),
            "output": sorted(os.path.abspath(str(p)) for p in smk.output),
            "log": sorted(os.path.abspath(str(p)) for p in smk.log),
            "opened": sorted(_opened),
        }
        _state["busy"] = True
        with open(os.path.join(_DIR, f"{smk.rule}-{os.getpid()}.json"), "w") as fh:
            json.dump(record, fh, indent=1)

    atexit.register(_dump)
