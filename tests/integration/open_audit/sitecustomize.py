"""Test instrumentation: record every file a Snakemake job's Python process opens.

Put this folder on PYTHONPATH and set DS_OPEN_AUDIT to a folder; each job
script then writes, when it exits, its rule, declared inputs, outputs, logs
and the files it opened (Python's audit hook sees every ``open``).
"""

import atexit
import json
import os
import sys

_DIR = os.environ.get("DS_OPEN_AUDIT")

if _DIR:
    _opened: set[str] = set()

    def _hook(event, args):
        if event == "open" and args and isinstance(args[0], str | bytes | os.PathLike):
            try:
                _opened.add(os.path.abspath(os.fsdecode(args[0])))
            except (TypeError, ValueError):
                pass

    sys.addaudithook(_hook)

    def _dump():
        smk = getattr(sys.modules.get("__main__"), "snakemake", None)
        if smk is None:
            return
        record = {
            "rule": smk.rule,
            "wildcards": dict(smk.wildcards.items()),
            "input": sorted(os.path.abspath(str(p)) for p in smk.input),
            "output": sorted(os.path.abspath(str(p)) for p in smk.output),
            "log": sorted(os.path.abspath(str(p)) for p in smk.log),
            "opened": sorted(_opened),
        }
        name = f"{smk.rule}-{os.getpid()}.json"
        with open(os.path.join(_DIR, name), "w", encoding="utf-8") as fh:
            json.dump(record, fh, indent=1)

    atexit.register(_dump)
