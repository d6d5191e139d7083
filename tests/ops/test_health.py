"""/kesehatan/ and ``manage.py health``: healthy, and each way of being unhealthy."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from ops.health import BEAT_TICK_KEY, evaluate_beat_tick, evaluate_reminder_age, parse_tick
from tests.ops.conftest import closed_port, run_manage

pytestmark = pytest.mark.django_db


def get_health(client, query=""):
    response = client.get(f"/kesehatan/{query}")
    return response.status_code, json.loads(response.content)


def test_it_answers_200_on_the_embedded_default_with_redis_not_configured(client, settings, local_cache):
    settings.REDIS_URL = ""
    status, body = get_health(client)
    assert status == 200
    assert body["status"] == "ok"
    assert body["components"]["database"]["status"] == "ok"
    assert body["components"]["redis"]["status"] == "not configured"
    assert body["components"]["beat"]["status"] == "unknown"  # no tick yet
    assert set(body["components"]) == {"database", "redis", "beat", "reminders"}


def test_it_answers_503_and_names_redis_when_redis_is_unreachable(client, settings, local_cache):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    status, body = get_health(client)
    assert status == 503
    assert body["status"] == "error"
    assert body["components"]["redis"]["status"] == "error"
    assert body["components"]["database"]["status"] == "ok"


@pytest.mark.services
def test_it_reports_the_real_redis_as_ok(client, settings, local_cache, redis_url):
    settings.REDIS_URL = redis_url
    status, body = get_health(client)
    assert status == 200 and body["components"]["redis"]["status"] == "ok"


def test_a_fresh_beat_tick_is_ok_and_a_stale_one_makes_it_unhealthy(client, settings, local_cache):
    settings.REDIS_URL = ""
    settings.HEALTH_BEAT_MAX_AGE = 600
    local_cache.set(BEAT_TICK_KEY, (timezone.now() - dt.timedelta(seconds=30)).isoformat())
    status, body = get_health(client)
    assert status == 200
    assert body["components"]["beat"]["status"] == "ok"
    assert 29 <= body["components"]["beat"]["age_seconds"] <= 600

    local_cache.set(BEAT_TICK_KEY, (timezone.now() - dt.timedelta(hours=2)).timestamp())
    status, body = get_health(client)
    assert status == 503
    assert body["components"]["beat"]["status"] == "stale"


def test_only_limits_the_check_to_the_named_components(client, settings, local_cache):
    settings.REDIS_URL = ""
    local_cache.set(BEAT_TICK_KEY, (timezone.now() - dt.timedelta(days=1)).isoformat())
    status, body = get_health(client, "?only=database,redis")
    assert status == 200  # the stale beat is not part of this question
    assert set(body["components"]) == {"database", "redis"}
    status, body = get_health(client, "?only=database,nonsense")
    assert status == 400 and "nonsense" in body["error"]


def test_it_reports_the_reminder_backlog_or_unknown_until_the_ledger_exists(client, settings, local_cache):
    settings.REDIS_URL = ""
    status, body = get_health(client)
    reminders = body["components"]["reminders"]
    try:
        from notifications.selectors import oldest_unsent_due_age  # noqa: F401
    except ImportError:
        assert reminders["status"] == "unknown"
    else:
        # An empty ledger: nothing due is unsent.
        assert reminders["status"] == "ok" and reminders["oldest_unsent_due_age_seconds"] is None


def test_it_only_accepts_safe_methods(client):
    assert client.post("/kesehatan/").status_code == 405


# --- the pure rules --------------------------------------------------------------------------

NOW = dt.datetime(2025, 3, 28, 12, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("raw", [
    NOW - dt.timedelta(minutes=5),
    (NOW - dt.timedelta(minutes=5)).replace(tzinfo=None),  # naive means UTC
    (NOW - dt.timedelta(minutes=5)).isoformat(),
    (NOW - dt.timedelta(minutes=5)).timestamp(),
    str((NOW - dt.timedelta(minutes=5)).timestamp()).encode(),
])
def test_a_beat_tick_is_read_in_every_form_the_heartbeat_may_store(raw):
    assert parse_tick(raw) == NOW - dt.timedelta(minutes=5)
    component = evaluate_beat_tick(raw, now=NOW, max_age=600)
    assert component.status == "ok" and component.detail["age_seconds"] == 300


def test_a_beat_tick_past_the_limit_is_stale_and_garbage_is_unknown():
    assert evaluate_beat_tick((NOW - dt.timedelta(seconds=601)).isoformat(), now=NOW, max_age=600).status == "stale"
    assert evaluate_beat_tick("not a time", now=NOW, max_age=600).status == "unknown"
    assert evaluate_beat_tick(None, now=NOW, max_age=600).status == "unknown"


def test_a_reminder_backlog_past_the_limit_is_late():
    assert evaluate_reminder_age(None, max_age=3600).status == "ok"
    assert evaluate_reminder_age(dt.timedelta(minutes=59), max_age=3600).status == "ok"
    late = evaluate_reminder_age(dt.timedelta(hours=2), max_age=3600)
    assert late.status == "late" and late.failing and late.detail["oldest_unsent_due_age_seconds"] == 7200
    assert evaluate_reminder_age(7200.0, max_age=3600).status == "late"


# --- the command -----------------------------------------------------------------------------

def test_the_command_prints_each_component_and_exits_0_when_healthy(settings, local_cache, capsys):
    settings.REDIS_URL = ""
    call_command("health")
    out = capsys.readouterr().out
    assert "database   ok" in out and "redis      not configured" in out and "SEHAT" in out


def test_the_command_exits_1_when_redis_is_unreachable(settings, local_cache, capsys):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    with pytest.raises(SystemExit) as exit_info:
        call_command("health", "--json")
    assert exit_info.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "error" and report["components"]["redis"]["status"] == "error"


def test_the_command_exits_1_when_the_database_is_unreachable(tmp_path):
    proc = run_manage("health", env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "TL_VAR_DIR": str(tmp_path),
                                     "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/nowhere"},
                      drop=("REDIS_URL",))
    assert proc.returncode == 1, proc.stderr
    assert "database   error" in proc.stdout and "TIDAK SEHAT" in proc.stdout
