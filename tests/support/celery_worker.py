"""A real Celery worker in a subprocess, consuming from the real Redis, writing to the test database."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_database_url() -> str:
    s = connection.settings_dict
    if s["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("a worker subprocess needs the PostgreSQL test database")
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@contextmanager
def celery_worker(redis_url: str, *, queue: str | None = None, env: dict | None = None, ready_timeout: float = 60,
                  app=None):
    """Start ``celery worker`` on a private queue; yields (queue, process). Stops it afterwards.

    ``app``: the Celery app whose broker the readiness ping goes through (default: the project's app);
    pass one bound to ``redis_url`` when the worker uses another Redis than this process (tests/faults).
    """
    if app is None:
        from config.celery import app

    queue = queue or f"test-{uuid.uuid4().hex[:10]}"
    child_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "REDIS_URL": redis_url,
                 "DATABASE_URL": test_database_url(), "CELERY_DEFAULT_QUEUE": queue, **(env or {})}
    node = f"{queue}@localhost"
    (ROOT / "var").mkdir(exist_ok=True)  # a fresh clone run against PostgreSQL has no var/ yet
    log = open(ROOT / "var" / f"worker-{queue}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
         "-Q", queue, "-n", node, "--without-gossip", "--without-mingle", "--loglevel=INFO"],
        cwd=ROOT, env=child_env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"worker exited early: {(ROOT / 'var' / f'worker-{queue}.log').read_text()[-2000:]}")
            replies = app.control.ping(destination=[f"celery@{node}", node], timeout=1.0)
            if replies:
                break
        else:
            raise RuntimeError("worker did not answer ping in time")
        yield queue, proc
    finally:
        stop_process(proc, log)


def stop_process(proc: subprocess.Popen, log=None, *, grace: float = 20) -> None:
    """Terminate a test subprocess, kill it if it does not stop within ``grace`` seconds, close its log."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if log is not None:
        log.close()


def wait_until(predicate, timeout: float = 30, interval: float = 0.2):
    """Poll until ``predicate()`` is truthy; returns its value or raises AssertionError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")
