"""Private PostgreSQL clusters, Redis servers and app processes for the fault tests.

The machine's shared PostgreSQL (5432) and Redis (6379) serve other test runs
at the same time, so a fault test never stops them: it starts its own
throwaway instance on a free port, breaks *that*, and deletes it afterwards,
pass or fail. Outside CI a missing binary skips the test; under CI=true it
fails it.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.support.celery_worker import stop_process
from tests.notifications.conftest import any_hour  # noqa: F401 - the fixture, for these tests too

ROOT = Path(__file__).resolve().parents[2]
LOG_DIR = ROOT / "var"
APP_SETTINGS = "config.settings.test"
# Worker and beat subprocesses: real SMTP to the fake server, fast restore of unacked tasks, fast beat.
WORKER_SETTINGS = "tests.faults.worker_settings"


def missing(what: str):
    """Skip outside CI; under CI=true the fault tests must run, so a missing binary fails them."""
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true")
    pytest.skip(f"{what} not installed")


def postgres_bindir() -> Path:
    """The newest installed PostgreSQL server binaries (initdb, pg_ctl, pg_dump, ...)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    missing("PostgreSQL server binaries (initdb, pg_ctl)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{what}: not met within {timeout} s")


class PrivatePostgres:
    """A throwaway PostgreSQL cluster in a temporary directory, listening on 127.0.0.1:<free port>, trust auth."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="tl-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.port = free_port()
        # The server refuses to run as root: as root, run initdb and pg_ctl as the postgres OS user.
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.run_as:
            shutil.chown(self.root, "postgres", "postgres")

    def _server(self, tool: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        done = subprocess.run([*self.run_as, str(self.bindir / tool), *args], capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(args)} failed: {done.stderr[-2000:]}\n{self.server_log()}")
        return done

    def client(self, tool: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """createdb, psql, pg_dump, pg_restore ... against this cluster over TCP."""
        done = subprocess.run([str(self.bindir / tool), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                               *args], capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done

    def server_log(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def init(self) -> None:
        self._server("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C",
                     "--no-sync")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off -c synchronous_commit=off")
        self._server("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._server("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: open sessions are cut, the same options and port come back."""
        self._server("pg_ctl", "-D", str(self.data), "-m", "fast", "-l", str(self.log), "-w", "-t", "60", "restart")

    @property
    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def createdb(self, name: str) -> str:
        self.client("createdb", name)
        return self.url(name)

    def cleanup(self) -> None:
        if self.running:
            subprocess.run([*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                            "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


class PrivateRedis:
    """A throwaway redis-server (no persistence) on 127.0.0.1:<free port>; stop() and start() keep the port."""

    def __init__(self, binary: str):
        self.binary = binary
        self.root = Path(tempfile.mkdtemp(prefix="tl-redis-"))
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--dir", str(self.root), "--logfile", str(self.root / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: self.proc.poll() is not None or self.ping(), timeout=20, what="private Redis start")
        if self.proc.poll() is not None:
            raise RuntimeError(f"redis-server exited: {(self.root / 'redis.log').read_text(errors='replace')}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        wait_for(lambda: not port_open(self.port), timeout=10, what="private Redis port closed")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self):
        import redis

        return redis.Redis.from_url(self.url())

    def cleanup(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def private_postgres():
    """A running private cluster on a free port; stopped and deleted afterwards, even on failure."""
    cluster = PrivatePostgres(postgres_bindir())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.cleanup()


@pytest.fixture
def private_redis():
    """A running private Redis on a free port; killed and deleted afterwards, even on failure."""
    binary = shutil.which("redis-server") or missing("redis-server")
    server = PrivateRedis(binary)
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def broker(private_redis):
    """A Celery app bound to the private Redis: sends tasks to, and pings, the workers that use it."""
    from celery import Celery

    app = Celery("tl-faults", broker=private_redis.url(), set_as_current=False)
    app.conf.update(task_serializer="json", accept_content=["json"], broker_connection_retry_on_startup=True,
                    broker_connection_timeout=5)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def discard_enqueues():
    """This process's on-commit enqueues (test set-up) go to a queue nobody reads, deleted afterwards:
    in these tests the app under test runs in subprocesses with their own broker."""
    from config.celery import app

    before = app.conf.task_default_queue
    name = f"faults-discard-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = name
    try:
        yield name
    finally:
        app.conf.task_default_queue = before
        try:
            if app.conf.broker_url.startswith("redis"):
                import redis

                # The queue's list and the binding sets kombu keeps for it (its exchange has its name).
                redis.Redis.from_url(app.conf.broker_url).delete(
                    name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
            else:
                with app.connection_for_write() as conn:
                    conn.default_channel.queue_purge(name)
        except Exception:  # noqa: BLE001 - the broker is gone: nothing left to clean
            pass


def wait_queue_empty(redis_server: PrivateRedis, queue: str, timeout: float = 60) -> None:
    """Every message sent to ``queue`` has been taken by a worker (it may still be running)."""
    client = redis_server.client()
    wait_for(lambda: client.llen(queue) == 0, timeout=timeout, what=f"queue {queue} emptied")


def assert_nothing_left(redis_server: PrivateRedis, queue: str) -> None:
    """After the workers stopped (a warm shutdown finishes the running task): no task waits or is unacked."""
    client = redis_server.client()
    assert client.llen(queue) == 0
    assert client.hlen("unacked") == 0


@pytest.fixture
def smtp():
    from tests.notifications.fakes import FakeSMTPServer

    with FakeSMTPServer() as server:
        yield server


def worker_env(redis_server: PrivateRedis, smtp, **extra: str) -> dict:
    return {"DJANGO_SETTINGS_MODULE": WORKER_SETTINGS, "REDIS_URL": redis_server.url(), "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port), **extra}


@contextmanager
def web_server(env: dict, *, ready_path: str = "/masuk/", timeout: float = 60):
    """The app under gunicorn (one sync worker, so one persistent DB connection); yields (base_url, log_path)."""
    import requests

    port = free_port()
    log_path = LOG_DIR / f"faults-web-{port}.log"
    LOG_DIR.mkdir(exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "1", "--timeout", "60", "--graceful-timeout", "5",
         "--access-logfile", "-"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": APP_SETTINGS, **env},
        stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log_path.read_text()[-3000:]}")
        try:
            return requests.get(base + ready_path, timeout=2).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_for(answers, timeout=timeout, interval=0.2, what="gunicorn ready")
        yield base, log_path, proc
    finally:
        stop_process(proc, log)


class Browser:
    """One person's browser session against the running app: cookies, CSRF token, no automatic redirects."""

    def __init__(self, base: str):
        import requests

        self.base = base
        self.session = requests.Session()

    def get(self, path: str):
        return self.session.get(self.base + path, allow_redirects=False, timeout=30)

    def post(self, path: str, data: dict):
        token = self.session.cookies.get("csrftoken") or ""
        return self.session.post(self.base + path, data=data, allow_redirects=False, timeout=30,
                                 headers={"X-CSRFToken": token, "Referer": self.base + path})

    def login(self, username: str, password: str) -> None:
        self.get("/masuk/")  # sets the CSRF cookie
        answer = self.post("/masuk/", {"username": username, "password": password})
        assert answer.status_code == 302, answer.text[:2000]


def run_script(command: str, *args: str, database_url: str, timeout: float = 120, **env: str) -> str:
    """``python -m tests.faults.app_scripts <command>`` in a fresh process against ``database_url``."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.faults.app_scripts", command, *args], cwd=ROOT, capture_output=True,
        text=True, timeout=timeout,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": APP_SETTINGS, "DATABASE_URL": database_url, **env})
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def manage(*args: str, database_url: str, timeout: float = 180, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "DJANGO_SETTINGS_MODULE": APP_SETTINGS,
                                                "DATABASE_URL": database_url, **env})


def private_app_env(database_url: str, var_dir: Path) -> dict:
    """The app on a private database with the embedded broker in its own folder: nothing it enqueues
    reaches the machine's shared Redis."""
    return {"DATABASE_URL": database_url, "REDIS_URL": "", "TL_VAR_DIR": str(var_dir)}


def hanging_smtp_server():
    """The notification tests' fake SMTP server, except that the FIRST message is never acknowledged: after
    the data the server keeps the sender waiting (no "250") until its connection dies, and drops that
    message — SMTP takes a message only with the 250 reply. ``server.hung`` is set when it happens."""
    import threading

    from tests.notifications.fakes import FakeSMTPServer, _SMTPHandler

    class HangOnce(_SMTPHandler):
        def _reply(self, line: str) -> None:
            server = self.server
            if line.startswith("250 OK queued") and not server.hung.is_set():
                with server.lock:
                    server.messages.pop()
                server.hung.set()
                while self.rfile.readline():  # until the sender's process is gone
                    pass
                return
            super()._reply(line)

    server = FakeSMTPServer()
    server.RequestHandlerClass = HangOnce
    server.hung = threading.Event()
    return server


def digest_links(messages) -> list[str]:
    """Every item of every message: each digest entry ends with "Buka: <link to its case or meeting>"."""
    import re

    return [link for m in messages for link in re.findall(r"Buka: (\S+)", m.get_body(("plain",)).get_content())]
