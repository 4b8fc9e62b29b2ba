"""Route a Snakemake script's messages to the rule's log file.

A script that fails on bad input prints the readable InputError (not a
traceback) to both the log and stderr, so the message reaches the terminal.
"""

from __future__ import annotations

import contextlib
import logging
import sys

from downstream_safety.common.errors import InputError


@contextlib.contextmanager
def script_logging(smk):
    log_path = smk.log[0] if len(smk.log) else None
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(
        level=logging.INFO, format="%(levelname)s %(message)s", handlers=handlers, force=True
    )
    # PDF font subsetting logs every table it writes at INFO; keep rule logs readable.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    try:
        yield logging.getLogger(smk.rule)
    except InputError as err:
        logging.getLogger(smk.rule).error("%s", err)
        sys.exit(1)
