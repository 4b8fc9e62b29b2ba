"""Run a local run's jobs as forks of one interpreter that imported the libraries once.

Every job of the workflow is a short Python script. Started fresh, each spends one
to two seconds importing pandas, pandera, scipy and matplotlib before well under a
second of work, so on a laptop most of a run was imports. Here the first job of a
local run starts a server that imports the package and its libraries once; each job
then hands its script to the server, which forks a child to run it in the job's
working directory, with the job's environment, arguments and standard streams. The
child is a process of its own, so jobs stay as isolated from each other as before,
and the job's exit status is the child's.

A job runs directly, as before, when any of these holds: ``DOWNSTREAM_SAFETY_PRELOAD=0``;
the job is not on the host of the Snakemake process that parsed the workflow (a
cluster or cloud executor) or runs inside a SLURM allocation; the platform has no
``fork`` or Unix sockets; the server cannot be reached or dies before it forks.

``multiprocessing``'s forkserver does the same for the workers of one parent; the
jobs here are separate processes started by Snakemake, so they need a socket they
can find from their environment, which it does not offer.
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import hashlib
import importlib
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import types
from pathlib import Path

# Set by the workflow at parse time (jobenv.configure): "<host>:<pid of Snakemake>".
RUN_VAR = "DOWNSTREAM_SAFETY_RUN"
SWITCH_VAR = "DOWNSTREAM_SAFETY_PRELOAD"
_SOCKET_VAR = "DOWNSTREAM_SAFETY_JOBSERVER_SOCKET"

# Read when a library is imported, so a server serves only jobs that agree on them.
_IMPORT_ENV = (
    "PATH", "PYTHONPATH", "PYTHONHASHSEED", "PYTHONWARNINGS", "MATPLOTLIBRC", "MPLBACKEND",
    "MPLCONFIGDIR", "OMP_NUM_THREADS", "GOTO_NUM_THREADS", "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS", "LANG", "LC_ALL",
    "TZ", "HOME", "VIRTUAL_ENV", "SOURCE_DATE_EPOCH",
)  # fmt: skip
# What every job loads (Snakemake's script preamble, tables and their schemas) comes first.
_FIRST = (
    "snakemake.script", "snakemake.iocontainers", "encodings.utf_8_sig", "pandas",
    "pandas.io.formats.csvs", "pandas.io.formats.string", "pandera.pandas",
    "pandera.backends.register_checks",
)  # fmt: skip
# Imported inside functions by the package, so a walk of its modules does not reach them.
_LIBRARIES = (
    "scipy.stats", "matplotlib.pyplot", "statsmodels.stats.multitest", "sklearn.metrics",
    "nltk.metrics.agreement", "nltk.metrics.distance", "krippendorff", "nbclient", "nbconvert",
)  # fmt: skip
_STATUS = struct.Struct("!i")
_HEADER = struct.Struct("!I")
_IN_CHILD = False


# --- the job's side -----------------------------------------------------------


def hand_over(smk) -> None:
    """Run this job's script in the server and exit with its status; return if there is none.

    Call it first thing in a job script, before the heavy imports it would save.
    """
    del smk  # the script file carries the job; the argument marks where the call belongs
    if _IN_CHILD:
        return
    sock_path = _socket_path()
    if sock_path is None:
        return
    conn = _connect_or_start(sock_path)
    if conn is None:
        return
    request = {
        "script": os.path.abspath(sys.argv[0]),
        "argv": sys.argv,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
    }
    payload = json.dumps(request).encode()
    try:
        socket.send_fds(conn, [_HEADER.pack(len(payload)) + payload], [0, 1, 2])
        started = _recv_exact(conn, _STATUS.size)
    except OSError:
        started = b""
    if len(started) < _STATUS.size:
        conn.close()
        return  # the server never forked: run here
    try:
        status = _recv_exact(conn, _STATUS.size)
    except OSError:
        status = b""
    if len(status) < _STATUS.size:
        sys.stderr.write(
            "job server: the server stopped while it ran this job (a bug of the package, "
            f"not of the input); run again with {SWITCH_VAR}=0 to run jobs directly\n"
        )
        code = 1
    else:
        (code,) = _STATUS.unpack(status)
    sys.stdout.flush()
    sys.stderr.flush()
    if code < 0:  # the job died of a signal: so does this process
        with contextlib.suppress(OSError, ValueError):  # SIGKILL/SIGSTOP have no handler
            signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    os._exit(128 - code if code < 0 else code)


def _socket_path() -> Path | None:
    env = os.environ
    if env.get(SWITCH_VAR, "1") == "0" or "SLURM_JOB_ID" in env or RUN_VAR not in env:
        return None
    if not (hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")):
        return None
    host, _, pid = env[RUN_VAR].rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or not _alive(int(pid)):
        return None
    folder = _private_folder()
    if folder is None:
        return None
    key = hashlib.sha256(
        json.dumps([sys.executable, sys.version, [env.get(k) for k in _IMPORT_ENV]]).encode()
    ).hexdigest()[:16]
    return folder / f"{pid}-{key}.sock"


def _private_folder() -> Path | None:
    base = Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir())
    folder = base / f"downstream-safety-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return None
    # Anyone who can reach the socket can make the server run a script: private folder only.
    if not os.path.isdir(folder) or os.path.islink(folder) or st.st_uid != os.getuid():
        return None
    return None if st.st_mode & 0o077 else folder


def stop(run_pid: int | None = None, timeout: float = 10.0) -> None:
    """Stop this Snakemake process's servers and wait until they are gone.

    The workflow calls it when the run ends, so that no process of the run outlives
    Snakemake; a server whose Snakemake has gone also stops by itself within 0.05 s.
    """
    folder = _private_folder() if hasattr(socket, "AF_UNIX") else None
    if folder is None:
        return
    pid = os.getpid() if run_pid is None else run_pid
    for sock_path in sorted(folder.glob(f"{pid}-*.sock")):
        conn = _connect(sock_path)
        if conn is None:
            continue
        payload = json.dumps({"stop": True}).encode()
        try:
            conn.sendall(_HEADER.pack(len(payload)) + payload)
            reply = _recv_exact(conn, _STATUS.size)
        except OSError:
            reply = b""
        conn.close()
        if len(reply) == _STATUS.size:
            (server,) = _STATUS.unpack(reply)
            deadline = time.monotonic() + timeout
            while _alive(server) and time.monotonic() < deadline:
                time.sleep(0.01)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # an exited process nobody has reaped yet is not alive
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


@contextlib.contextmanager
def _in_folder(folder: Path):
    """Socket addresses are limited to about 100 bytes: use names relative to their folder."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


def _connect(sock_path: Path) -> socket.socket | None:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with _in_folder(sock_path.parent):
            conn.connect(sock_path.name)
    except OSError:
        conn.close()
        return None
    return conn


def _connect_or_start(sock_path: Path) -> socket.socket | None:
    import fcntl

    conn = _connect(sock_path)
    if conn is not None:
        return conn
    with open(sock_path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one job starts the server; the others wait here
        conn = _connect(sock_path)
        if conn is not None:
            return conn
        _tidy(sock_path.parent)
        with contextlib.suppress(FileNotFoundError):
            sock_path.unlink()  # left by this run's server, which died
        with open(sock_path.with_suffix(".log"), "ab") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", __name__],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env={**os.environ, _SOCKET_VAR: str(sock_path)},
                cwd=os.getcwd(),
            )
        # The server listens before it imports anything; connections wait in its backlog.
        deadline = time.monotonic() + 30
        while server.poll() is None and time.monotonic() < deadline:
            conn = _connect(sock_path)
            if conn is not None:
                return conn
            time.sleep(0.01)
    return None


def _tidy(folder: Path) -> None:
    """Remove what servers of runs that were killed left behind."""
    for leftover in folder.glob("*-*.*"):
        pid = leftover.name.split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and leftover.suffix in (".sock", ".lock", ".log"):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _recv_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


# --- the server ---------------------------------------------------------------


def serve(sock_path: Path, run_pid: int) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with _in_folder(sock_path.parent):
        listener.bind(sock_path.name)
    listener.listen(64)
    server = _Server(listener, sock_path, run_pid)
    try:
        # Jobs wait for what every job loads (_FIRST, about a second); those that arrive
        # later in the preload are forked at once and import the rest themselves.
        _preload(lambda: server.step(0.0))
        while server.step(0.05):
            pass
    finally:
        for leftover in (sock_path, sock_path.with_suffix(".lock")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        log = sock_path.with_suffix(".log")
        with contextlib.suppress(OSError):
            if log.stat().st_size == 0:
                log.unlink()


class _Server:
    def __init__(self, listener: socket.socket, sock_path: Path, run_pid: int):
        self.listener, self.sock_path, self.run_pid = listener, sock_path, run_pid
        self.children: dict[int, socket.socket] = {}
        self.state = {"stopping": False}

    def step(self, timeout: float) -> bool:
        """Accept, watch and reap once; False when there is nothing left to serve."""
        serving = _alive(self.run_pid) and not self.state["stopping"]
        if not serving and self.listener.fileno() >= 0:
            self.listener.close()  # Snakemake is gone: finish the running jobs, take no more
            with contextlib.suppress(FileNotFoundError):
                self.sock_path.unlink()
        if not serving and not self.children:
            return False
        listening = [self.listener] if self.listener.fileno() >= 0 else []
        ready, _, _ = select.select(listening + list(self.children.values()), [], [], timeout)
        for s in ready:
            if s is self.listener:
                _accept(self.listener, self.children, self.state)
            else:
                _client_gone(s, self.children)
        _reap(self.children)
        return True


def _preload(between) -> None:
    """Import what the jobs use, calling ``between()`` after each module."""
    import pkgutil

    import downstream_safety

    names = [
        m.name
        for m in pkgutil.walk_packages(downstream_safety.__path__, "downstream_safety.")
        if not m.name.endswith("__main__")
    ]
    for name in [*_FIRST, *names, *_LIBRARIES]:
        try:
            importlib.import_module(name)
            if name in _WARM:
                _WARM[name]()
        except Exception as err:  # noqa: BLE001 - a job that needs it fails in its own child
            print(f"not preloaded: {name}: {err}", file=sys.stderr, flush=True)
        if name not in _FIRST:
            between()


def _warm_pandera() -> None:
    """Validate a one-row frame: pandera loads its backends on the first validation."""
    import pandas as pd
    import pandera.pandas as pa

    pa.DataFrameSchema({"x": pa.Column(int)}).validate(pd.DataFrame({"x": [1]}))


def _warm_matplotlib() -> None:
    """Save an empty figure in each format the package writes, loading their back-ends."""
    import io

    from matplotlib.figure import Figure

    for fmt in ("pdf", "svg", "png"):
        fig = Figure()
        fig.text(0.5, 0.5, "0")  # a text loads the font subsetting of each back-end
        fig.savefig(io.BytesIO(), format=fmt)


_WARM = {"pandera.pandas": _warm_pandera, "matplotlib.pyplot": _warm_matplotlib}


def _accept(listener: socket.socket, children: dict[int, socket.socket], state: dict) -> None:
    conn, _ = listener.accept()
    conn.setblocking(True)
    conn.settimeout(10)
    try:
        if sys.platform.startswith("linux"):  # the folder is private; check the caller too
            creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
            if struct.unpack("3i", creds)[1] != os.getuid():
                conn.close()
                return
        data, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
        if len(data) < _HEADER.size:
            raise OSError("incomplete request")
        (size,) = _HEADER.unpack(data[: _HEADER.size])
        payload = data[_HEADER.size :]
        payload += _recv_exact(conn, size - len(payload))
        request = json.loads(payload)
        if request.get("stop"):
            state["stopping"] = True  # the stopper waits for this process to be gone
            conn.sendall(_STATUS.pack(os.getpid()))
            raise OSError("stop")
        if len(fds) != 3:
            raise OSError("incomplete request")
    except (OSError, ValueError):
        for fd in fds if "fds" in locals() else []:
            os.close(fd)
        conn.close()
        return
    conn.settimeout(None)
    pid = os.fork()
    if pid == 0:
        _child(request, fds, [listener, conn, *children.values()])
    for fd in fds:
        os.close(fd)
    children[pid] = conn
    with contextlib.suppress(OSError):
        conn.sendall(_STATUS.pack(pid))


def _client_gone(conn: socket.socket, children: dict[int, socket.socket]) -> None:
    """The job's process ended (killed by Snakemake or a signal): stop its child too."""
    with contextlib.suppress(OSError):
        if conn.recv(1):
            return
    for pid, c in children.items():
        if c is conn:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _reap(children: dict[int, socket.socket]) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.sendall(_STATUS.pack(os.waitstatus_to_exitcode(status)))
            conn.close()


def _child(request: dict, fds: list[int], sockets: list[socket.socket]) -> None:
    """Become the job: its streams, folder, environment and arguments, then its script."""
    global _IN_CHILD
    _IN_CHILD = True
    code = 1
    try:
        for s in sockets:
            s.close()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        tempfile.tempdir = None  # the job's TMPDIR, not the one the server saw
        sys.argv = list(request["argv"])
        path = request["script"]
        main = types.ModuleType("__main__")
        main.__file__ = path
        main.__builtins__ = builtins
        sys.modules["__main__"] = main
        code = 0
        try:
            source = Path(path).read_bytes()
            exec(compile(source, path, "exec"), main.__dict__)  # noqa: S102 - the job's own script
        except SystemExit as stop:
            code = _exit_code(stop.code)
        except BaseException:  # noqa: BLE001 - reported like an uncaught exception
            traceback.print_exc()
            code = 1
        atexit._run_exitfuncs()  # what the interpreter runs at exit: logging, recorders
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _exit_code(value) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1


def main() -> None:
    run_pid = int(os.environ[RUN_VAR].rpartition(":")[2])
    serve(Path(os.environ.pop(_SOCKET_VAR)), run_pid)


if __name__ == "__main__":
    # Run as the package's module, not as __main__: the children check its _IN_CHILD.
    importlib.import_module("downstream_safety.common.jobserver").main()
