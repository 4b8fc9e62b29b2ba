"""The job server runs each job as the job would run on its own.

Scripts here are plain Python files that call ``hand_over`` as the workflow's
job scripts do; this test process plays the Snakemake run (its pid is the run's
pid), so every check is about the server and not about Snakemake.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from downstream_safety.common import jobserver
from downstream_safety.paths import ROOT

pytestmark = pytest.mark.skipif(
    not (hasattr(os, "fork") and hasattr(socket, "send_fds")), reason="needs fork and Unix sockets"
)

REPORT = """\
import json, os, sys
from downstream_safety.common.jobserver import hand_over
hand_over(None)
print(json.dumps({"pid": os.getpid(), "ppid": os.getppid(), "cwd": os.getcwd(),
                  "var": os.environ.get("JOB_VAR"), "argv": sys.argv[1:],
                  "stdin": sys.stdin.read()}))
print("to stderr", file=sys.stderr)
"""


@pytest.fixture
def run_env(tmp_path, monkeypatch):
    """The environment of a job of a run whose Snakemake is this test process."""
    runtime = tmp_path / ("runtime-" + "r" * 72)
    runtime.mkdir(mode=0o700)
    env = dict(os.environ)
    env.pop("SLURM_JOB_ID", None)
    env.pop(jobserver.SWITCH_VAR, None)
    env.update(
        {
            jobserver.RUN_VAR: f"{socket.gethostname()}:{os.getpid()}",
            "XDG_RUNTIME_DIR": str(runtime),
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))  # for jobserver.stop() here
    yield env
    jobserver.stop(os.getpid())


def _script(tmp_path: Path, body: str, name: str = "job.py") -> Path:
    path = tmp_path / name
    path.write_text(body)
    return path


def _run(script: Path, env: dict, cwd: Path, *args: str, stdin: str = "", **kw):
    return subprocess.run([sys.executable, str(script), *args], env=env, cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120, **kw)  # fmt: skip


def _gone_within(pid: int, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while jobserver._alive(pid):
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def _server_files(env: dict) -> list[str]:
    folder = Path(env["XDG_RUNTIME_DIR"]) / f"downstream-safety-{os.getuid()}"
    return sorted(p.name for p in folder.glob(f"{os.getpid()}-*")) if folder.is_dir() else []


def test_jobs_run_in_forks_of_one_server_with_their_own_streams_folder_and_environment(
    tmp_path, run_env
):
    # The runtime folder is deep on purpose: the socket's full path is longer than the
    # 108 bytes a Unix socket address allows.
    runtime = Path(run_env["XDG_RUNTIME_DIR"])
    assert len(str(runtime / f"downstream-safety-0/{os.getpid()}-{'0' * 16}.sock")) > 108
    script = _script(tmp_path, REPORT)
    seen = []
    for i in range(3):
        work = tmp_path / f"work{i}"
        work.mkdir()
        res = _run(script, {**run_env, "JOB_VAR": f"value {i}"}, work, f"arg{i}", stdin=f"in {i}")
        assert res.returncode == 0, res.stderr
        assert res.stderr == "to stderr\n"
        seen.append(json.loads(res.stdout))
    servers = {s["ppid"] for s in seen}
    assert len(servers) == 1, seen  # one server forked all three
    (server,) = servers
    assert server != os.getpid()
    assert b"jobserver" in Path(f"/proc/{server}/cmdline").read_bytes()
    for i, s in enumerate(seen):
        assert s["cwd"] == str(tmp_path / f"work{i}")
        assert s["var"] == f"value {i}"
        assert s["argv"] == [f"arg{i}"]
        assert s["stdin"] == f"in {i}"
    jobserver.stop(os.getpid())
    assert not jobserver._alive(server)
    assert _server_files(run_env) == []


def test_exit_status_and_errors_are_the_jobs(tmp_path, run_env):
    head = "from downstream_safety.common.jobserver import hand_over\nhand_over(None)\n"
    cases = {
        "exit3.py": (head + "raise SystemExit(3)\n", 3, ""),
        "error.py": (head + "raise ValueError('bad table')\n", 1, "ValueError: bad table"),
        "message.py": (head + "import sys\nsys.exit('stopped: reason')\n", 1, "stopped: reason"),
        "killed.py": (head + "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", -9, ""),
        "fine.py": (head + "print('ok')\n", 0, ""),
    }
    for name, (body, code, err) in cases.items():
        res = _run(_script(tmp_path, body, name), run_env, tmp_path)
        assert res.returncode == code, (name, res.stderr)
        assert err in res.stderr, (name, res.stderr)


def test_jobs_run_directly_when_switched_off_or_the_folder_is_not_private(tmp_path, run_env):
    script = _script(tmp_path, REPORT)
    res = _run(script, {**run_env, jobserver.SWITCH_VAR: "0"}, tmp_path)
    assert json.loads(res.stdout)["ppid"] == os.getpid()  # started by us, not forked

    res = _run(script, {**run_env, "SLURM_JOB_ID": "1"}, tmp_path)
    assert json.loads(res.stdout)["ppid"] == os.getpid()

    res = _run(script, {**run_env, jobserver.RUN_VAR: "another-host:1"}, tmp_path)
    assert json.loads(res.stdout)["ppid"] == os.getpid()

    shared = tmp_path / "shared"
    (shared / f"downstream-safety-{os.getuid()}").mkdir(parents=True)
    (shared / f"downstream-safety-{os.getuid()}").chmod(0o777)
    res = _run(script, {**run_env, "XDG_RUNTIME_DIR": str(shared)}, tmp_path)
    assert json.loads(res.stdout)["ppid"] == os.getpid()
    assert list((shared / f"downstream-safety-{os.getuid()}").iterdir()) == []


def test_a_killed_job_takes_its_fork_with_it(tmp_path, run_env):
    pidfile = tmp_path / "child.pid"
    body = (
        "import os, time\nfrom downstream_safety.common.jobserver import hand_over\n"
        f"hand_over(None)\nopen({str(pidfile)!r}, 'w').write(str(os.getpid()))\ntime.sleep(120)\n"
    )
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    job = subprocess.Popen([sys.executable, str(_script(tmp_path, body))], env=run_env,
                           cwd=tmp_path, **quiet)  # fmt: skip
    deadline = time.monotonic() + 60
    while not pidfile.exists() or not pidfile.read_text():
        assert time.monotonic() < deadline and job.poll() is None
        time.sleep(0.05)
    child = int(pidfile.read_text())
    assert child != job.pid
    job.send_signal(signal.SIGKILL)
    job.wait(10)
    _gone_within(child, 10, "the job's fork outlived the job")


def test_the_server_ends_with_its_run(tmp_path, run_env):
    """A run killed without its end handlers: the server stops once Snakemake is gone."""
    fake_run = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    env = {**run_env, jobserver.RUN_VAR: f"{socket.gethostname()}:{fake_run.pid}"}
    res = _run(_script(tmp_path, REPORT), env, tmp_path)
    server = json.loads(res.stdout)["ppid"]
    assert server not in (os.getpid(), fake_run.pid) and jobserver._alive(server)
    fake_run.kill()
    fake_run.wait(30)
    _gone_within(server, 10, "the server outlived its run")


def test_what_killed_runs_left_is_removed(tmp_path, run_env):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    folder = Path(run_env["XDG_RUNTIME_DIR"]) / f"downstream-safety-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    left = [folder / f"{gone}-{'a' * 16}{suffix}" for suffix in (".sock", ".lock", ".log")]
    for p in left:
        p.write_text("")
    res = _run(_script(tmp_path, REPORT), run_env, tmp_path)
    assert json.loads(res.stdout)["ppid"] != os.getpid()  # a server was started
    assert not any(p.exists() for p in left)
