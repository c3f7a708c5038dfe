"""bin/dev-server (`make run`): links follow its port, and nothing it started outlives it.

`make run ESAFETY_PORT=8111` printed links to port 8000 in every email; and when the worker died,
its beat child was left running. The script is started for real here, on a free port, with a
SQLite database and the filesystem broker under tmp_path.
"""

import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.test_settings import BASE_DIR, clean_environ

STARTED = "esafety is running at"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _processes() -> list[tuple[int, int, int, str]]:
    """(pid, pgid, ppid, command line) of every process."""
    rows = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        # The command name in parentheses may hold spaces: the fields after it are fixed.
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z":
            continue  # a zombie waits to be reaped: it runs nothing
        rows.append((int(entry.name), int(fields[2]), int(fields[1]), cmdline))
    return rows


def _group(pgid: int) -> list[str]:
    return [cmd for _pid, group, _ppid, cmd in _processes() if group == pgid]


def _environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


@pytest.fixture
def dev_server(tmp_path):
    """Start bin/dev-server; yield (process, port, log file); stop all it left at the end."""
    environ = clean_environ(tmp_path)
    environ["DATABASE_URL"] = f"sqlite:///{tmp_path / 'esafety.sqlite3'}"
    environ.pop("SITE_URL", None)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    environ["ESAFETY_PORT"] = str(port)
    log = tmp_path / "dev-server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bin/dev-server"],
            cwd=BASE_DIR,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    groups: set[int] = set()
    try:
        deadline = time.monotonic() + 90
        while STARTED not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        groups = {g for _pid, g, ppid, _cmd in _processes() if ppid == process.pid}
        yield process, port, log
    finally:
        # Whatever the test found, nothing it started is left behind for the rest of the suite.
        if process.poll() is None:
            process.terminate()
            process.wait(30)
        for pgid in groups | {process.pid}:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)


def test_it_stops_the_beat_and_the_web_server_when_the_worker_dies(dev_server):
    process, port, log = dev_server
    children = [(pid, cmd) for pid, _g, ppid, cmd in _processes() if ppid == process.pid]
    [worker] = [pid for pid, cmd in children if "celery" in cmd]
    [web] = [pid for pid, cmd in children if "runserver" in cmd]
    # Each leads a group: the worker's holds its pool and its embedded beat.
    assert len(_group(worker)) >= 2, _group(worker)

    # Links in emails follow the port: every process got the same SITE_URL.
    for pid in (worker, web):
        assert _environ_of(pid)["SITE_URL"] == f"http://127.0.0.1:{port}"

    os.kill(worker, signal.SIGKILL)  # the worker dies without a word to its children
    assert process.wait(45) != 0
    assert "the web server or the worker stopped" in log.read_text()
    deadline = time.monotonic() + 10
    while _group(worker) or _group(web):
        assert time.monotonic() < deadline, (_group(worker), _group(web))
        time.sleep(0.2)


def test_ctrl_c_stops_everything(dev_server):
    process, _port, log = dev_server
    groups = {g for _pid, g, ppid, _cmd in _processes() if ppid == process.pid}
    assert len(groups) == 2
    process.send_signal(signal.SIGINT)
    assert process.wait(45) == 0
    assert "Stopping the web server and the worker" in log.read_text()
    assert [g for g in groups if _group(g)] == []


@pytest.mark.django_db
def test_the_demo_hint_names_the_venvs_python(monkeypatch):
    # `make run` prints it from the project's folder; a bare `python` there has no Django.
    monkeypatch.chdir(BASE_DIR)
    monkeypatch.setattr(sys, "executable", str(BASE_DIR / ".venv" / "bin" / "python"))
    out = io.StringIO()
    call_command("seed_demo", "--pupils", "3", stdout=out)
    assert "run `.venv/bin/python manage.py demo_totp EMAIL` for the current code" in out.getvalue()
