"""The three commands docker-compose.yml runs — gunicorn, celery worker, celery beat — started here.

No Docker engine on this machine, so CI runs the services' own commands directly, with the production
settings, against the local PostgreSQL (the test database) and Redis, and checks that each comes up and
answers: gunicorn through /kesehatan/ (and the container's own probe), the worker through
``celery inspect ping``, beat through its start line and, once a heartbeat is scheduled, its tick as
/kesehatan/ reports it. Every process is stopped afterwards, whatever happened.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from ops.health import BEAT_TICK_KEY
from ops.probe import probe
from tests.ops.conftest import ROOT, closed_port
from tests.support.celery_worker import test_database_url as url_of_test_database
from tests.support.celery_worker import wait_until

BIN = Path(sys.executable).parent


class Service:
    """One long-running command in its own process group, logging to a file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def assert_running(self) -> None:
        assert self.proc.poll() is None, f"{self.name} exited with {self.proc.returncode}:\n{self.log()[-3000:]}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group we started: gunicorn/celery and their children
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()


def heartbeat_interval_seconds() -> float | None:
    """How often the beat heartbeat runs, if notifications.schedule has one (it writes beat:last_tick)."""
    from celery.schedules import crontab
    from django.conf import settings

    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        if "heartbeat" not in entry.get("task", ""):
            continue
        schedule = entry.get("schedule")
        if isinstance(schedule, dt.timedelta):
            return schedule.total_seconds()
        if isinstance(schedule, (int, float)):
            return float(schedule)
        if isinstance(schedule, crontab):
            return 60.0
        return float(getattr(schedule, "seconds", 60))
    return None


@pytest.mark.services
@pytest.mark.timeout(480)
@pytest.mark.django_db(transaction=True)
def test_gunicorn_worker_and_beat_come_up_with_production_settings_and_answer(tmp_path, postgres_db, redis_url):
    from django.core.cache import caches

    caches["default"].delete(BEAT_TICK_KEY)  # a tick left by anything else must not count as ours
    port = closed_port()
    queue = f"smoke-{uuid.uuid4().hex[:10]}"
    node = f"{queue}@localhost"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        # As in docker-compose.yml: HTTPS redirect on; requests carry the proxy's X-Forwarded-Proto.
        SECURE_SSL_REDIRECT="true",
        DATABASE_URL=url_of_test_database(),
        REDIS_URL=redis_url,
        TL_VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "uploads"),
        STATIC_ROOT=str(tmp_path / "static"),
        LOG_FORMAT="json",
        WEB_CONCURRENCY="2",
        # A private default queue, so neither beat nor this worker touches anyone else's tasks.
        CELERY_DEFAULT_QUEUE=queue,
    )
    # The Dockerfile's build step: collectstatic with a dummy key and no database.
    build_env = {**env, "SECRET_KEY": "build-only-not-secret"}
    build_env.pop("DATABASE_URL")
    collect = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=build_env,
                             capture_output=True, text=True, timeout=120)
    assert collect.returncode == 0, collect.stderr

    # The services' commands from docker-compose.yml (plus a bind address / node name for this machine).
    services = []
    try:
        web = Service("web", [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi",
                              "--bind", f"127.0.0.1:{port}"], env, tmp_path)
        services.append(web)
        worker = Service("worker", [str(BIN / "celery"), "-A", "config", "worker", "--loglevel=INFO",
                                    "--concurrency=1", "-n", node], env, tmp_path)
        services.append(worker)
        beat = Service("beat", [str(BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO"], env, tmp_path)
        services.append(beat)

        base = f"http://127.0.0.1:{port}"

        def health():
            for service in services:
                service.assert_running()
            status, body = probe(f"{base}/kesehatan/", host="127.0.0.1")
            return (status, json.loads(body)) if status in (200, 503) else None

        # --- gunicorn: up, healthy, behind the production HTTPS settings ------------------------
        status, report = wait_until(health, timeout=60, interval=0.5)
        assert status == 200, report
        assert report["components"]["database"] == {"status": "ok", "vendor": "postgresql"}
        assert report["components"]["redis"]["status"] == "ok"

        probe_run = subprocess.run([sys.executable, "-m", "ops.probe"], cwd=ROOT, capture_output=True, text=True,
                                   env={**env, "PORT": str(port)}, timeout=30)
        assert probe_run.returncode == 0, probe_run.stdout  # the web container's health check

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(f"{base}/masuk/", timeout=10)
            redirected = None
        except urllib.error.HTTPError as exc:
            redirected = (exc.code, exc.headers.get("Location"))
        assert redirected == (301, f"https://127.0.0.1:{port}/masuk/")  # plain HTTP goes to HTTPS

        status, page = probe(f"{base}/masuk/", host="127.0.0.1")
        assert status == 200
        css = next(part.split('"')[0] for part in page.split('href="')[1:] if part.startswith("/static/css/"))
        assert css != "/static/css/app.css"  # the hashed name from the manifest
        status, _ = probe(f"{base}{css}", host="127.0.0.1")
        assert status == 200, f"whitenoise did not serve {css}"

        # --- worker: answers a ping -------------------------------------------------------------
        def ping():
            worker.assert_running()
            result = subprocess.run([str(BIN / "celery"), "-A", "config", "inspect", "ping", "-d", node,
                                     "--timeout", "5"], cwd=ROOT, env=env, capture_output=True, text=True,
                                    timeout=60)
            return result.returncode == 0 and "pong" in result.stdout

        wait_until(ping, timeout=90, interval=1)

        # --- beat: started, and (once a heartbeat is scheduled) ticking -------------------------
        wait_until(lambda: beat.assert_running() or "beat: Starting..." in beat.log(), timeout=60)
        beat_lines = [json.loads(line) for line in beat.log().splitlines() if line.startswith("{")]
        assert any(line["message"] == "beat: Starting..." and line["logger"] == "celery.beat" for line in beat_lines)

        interval = heartbeat_interval_seconds()
        if interval is not None:
            def ticked():
                result = health()
                return result if result and result[1]["components"]["beat"]["status"] == "ok" else None

            status, report = wait_until(ticked, timeout=min(interval, 120) + 60, interval=2)
        else:
            status, report = health()
            assert report["components"]["beat"]["status"] == "unknown"  # no heartbeat scheduled yet
        assert status == 200, report

        # Structured logs from every process (LOG_FORMAT=json).
        for service in (web, worker):
            assert any(line.startswith("{") and json.loads(line)["level"] for line in service.log().splitlines()), \
                service.log()[-2000:]
    finally:
        for service in reversed(services):
            service.stop()
    for service in services:
        assert service.proc.returncode is not None
