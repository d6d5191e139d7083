"""Exactly once, with a REAL Celery worker on the real Redis and PostgreSQL.

The worker is a subprocess (tests/support/celery_worker.py) running
``tests.notifications.worker_settings``: it sends mail over SMTP to a local fake
server in this process and posts WhatsApp messages to a local fake gateway.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from casework.models import Case
from notifications.models import Delivery, Notification
from notifications.tasks import BEAT_TICK_KEY, deliver_due, heartbeat, sweep_reminders
from tests.conftest import make_case, step
from tests.notifications.conftest import ROOT_DIR, assigned_case, local_today
from tests.notifications.fakes import FakeGateway, FakeSMTPServer
from tests.support.celery_worker import celery_worker, wait_until
from tests.support.celery_worker import test_database_url as worker_database_url

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp():
    with FakeSMTPServer() as server:
        yield server


@pytest.fixture
def gateway():
    with FakeGateway() as server:
        yield server


@pytest.fixture
def worker_env(smtp, gateway):
    return {"DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings", "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port), "WHATSAPP_GATEWAY_URL": gateway.url,
            "WHATSAPP_GATEWAY_TOKEN": "token-uji"}


@pytest.fixture
def route_enqueues(redis_url):
    """Send this process's on-commit enqueues to a queue of our choosing (default: one nobody reads)."""
    import redis

    from config.celery import app

    before = app.conf.task_default_queue
    used: list[str] = []

    def to(queue: str) -> None:
        used.append(queue)
        app.conf.task_default_queue = queue

    to(f"test-discard-{uuid.uuid4().hex[:8]}")
    yield to
    app.conf.task_default_queue = before
    redis.Redis.from_url(redis_url).delete(*used)


def drain(queue: str, *, timeout: float = 60) -> None:
    """Wait until the worker has run everything sent to ``queue`` so far (a solo worker runs in order)."""
    marker = timezone.now()
    heartbeat.apply_async(queue=queue)
    wait_until(lambda: (cache.get(BEAT_TICK_KEY) or marker) > marker, timeout=timeout)


def test_it_delivers_an_event_notification_once(any_hour, redis_url, worker_env, smtp, route_enqueues):
    world = any_hour
    with celery_worker(redis_url, env=worker_env) as (queue, _proc):
        route_enqueues(queue)
        case = make_case(world)
        step(case, world.kecamatan_user, "escalate", "Mohon penyuluh pertanian dijadwalkan.")
        # No explicit delivery call: the on-commit enqueue reaches the worker, which sends.
        (message,) = wait_until(lambda: smtp.to(world.pokja_user.email))
        deliver_due.apply_async(queue=queue)
        deliver_due.apply_async(queue=queue)
        drain(queue)
    assert len(smtp.to(world.pokja_user.email)) == 1
    assert f"Kasus #{case.pk} dieskalasi" in message["Subject"]
    assert "Mohon penyuluh pertanian dijadwalkan." in message.get_body(("plain",)).get_content()
    assert smtp.to(world.kecamatan_user.email) == []  # the actor is not told
    delivery = Delivery.objects.get(notification__case=case, channel="email")
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def _overdue_cases(world, count: int) -> list[Case]:
    cases = [assigned_case(world, due=local_today(world) - timedelta(days=2), assigned_days_ago=5,
                           obstacle=f"Kendala nomor {i:02d} di desa") for i in range(count)]
    Notification.objects.all().delete()  # keep only what the sweep writes
    return cases


def test_two_concurrent_sweeps_create_and_send_each_reminder_once(any_hour, redis_url, worker_env, smtp,
                                                                  route_enqueues):
    world = any_hour
    cases = _overdue_cases(world, 6)
    with celery_worker(redis_url, env=worker_env) as (q1, _p1), celery_worker(redis_url, env=worker_env) as (q2, _p2):
        for _ in range(2):  # beat firing twice, on two workers at once
            sweep_reminders.apply_async(queue=q1)
            sweep_reminders.apply_async(queue=q2)
        drain(q1)
        drain(q2)
    reminders = Notification.objects.filter(kind="deadline_passed")
    assert sorted(reminders.values_list("case_id", flat=True)) == sorted(c.pk for c in cases)
    assert set(reminders.values_list("recipient", flat=True)) == {world.opd_user.pk}
    bodies = [m.get_body(("plain",)).get_content() for m in smtp.to(world.opd_user.email)]
    for i in range(6):
        assert sum(body.count(f"Kendala nomor {i:02d}") for body in bodies) == 1
    assert not Delivery.objects.exclude(status="sent").exists()
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_a_redelivered_delivery_task_does_not_resend(any_hour, redis_url, worker_env, smtp, route_enqueues):
    world = any_hour
    case = make_case(world)
    step(case, world.kecamatan_user, "escalate", "Mohon bantuan.")  # enqueued to a queue nobody reads
    with celery_worker(redis_url, env=worker_env) as (q1, _p1), celery_worker(redis_url, env=worker_env) as (q2, _p2):
        for _ in range(3):  # the same task delivered again and again, to two workers
            deliver_due.apply_async(queue=q1)
            deliver_due.apply_async(queue=q2)
        drain(q1)
        drain(q2)
    assert len(smtp.to(world.pokja_user.email)) == 1


def test_thirty_overdue_cases_reach_the_officer_as_one_digest(any_hour, redis_url, worker_env, smtp,
                                                              route_enqueues):
    world = any_hour
    _overdue_cases(world, 30)
    with celery_worker(redis_url, env=worker_env) as (queue, _proc):
        sweep_reminders.apply_async(queue=queue)
        drain(queue)
    (digest,) = smtp.to(world.opd_user.email)
    assert "30 pemberitahuan" in digest["Subject"]
    text = digest.get_body(("plain",)).get_content()
    html = digest.get_body(("html",)).get_content()
    for i in range(30):
        assert f"Kendala nomor {i:02d}" in text and f"Kendala nomor {i:02d}" in html


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


TRANSITION_SCRIPT = """
import sys, django
django.setup()
from accounts.models import User
from casework.services.cases import case_transition
user = User.objects.get(pk=int(sys.argv[1]))
case = case_transition(user=user, case_id=int(sys.argv[2]), action="escalate", expected_version=int(sys.argv[3]),
                       note="Mohon bantuan kabupaten.")
print("STATE", case.state)
"""


def test_redis_down_during_a_transition_loses_nothing(any_hour, redis_url, worker_env, smtp):
    world = any_hour
    case = make_case(world)
    dead_broker = f"redis://127.0.0.1:{_closed_port()}/0"
    # Another process whose broker is down takes the step (as a web worker would during an outage).
    done = subprocess.run(
        [sys.executable, "-c", TRANSITION_SCRIPT, str(world.kecamatan_user.pk), str(case.pk), str(case.version)],
        cwd=ROOT_DIR, capture_output=True, text=True, timeout=120,
        env={**os.environ, **worker_env, "REDIS_URL": dead_broker, "DATABASE_URL": worker_database_url(),
             "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "STATE escalated" in done.stdout
    assert "Broker unreachable" in done.stderr  # the enqueue really failed
    case.refresh_from_db()
    assert case.state == "escalated"  # the case work committed
    assert Notification.objects.filter(case=case, recipient=world.pokja_user, kind="escalated").exists()
    assert smtp.messages == []
    # Redis is back: the periodic delivery (beat's job) sends it, once.
    with celery_worker(redis_url, env=worker_env) as (queue, _proc):
        deliver_due.apply_async(queue=queue)
        wait_until(lambda: smtp.to(world.pokja_user.email))
        deliver_due.apply_async(queue=queue)
        drain(queue)
    assert len(smtp.to(world.pokja_user.email)) == 1


def test_the_whatsapp_gateway_gets_the_message_and_its_failures_are_recorded(any_hour, redis_url, worker_env,
                                                                            smtp, gateway, route_enqueues):
    world = any_hour
    officer, pokja = world.opd_user, world.pokja_user
    officer.notify_whatsapp = True
    officer.save()
    pokja.phone, pokja.notify_whatsapp = "0813-9999-0000", True
    pokja.save()
    gateway.respond(400, {"status": False, "reason": "target invalid"})  # the Pokja's message: permanent
    case = make_case(world)
    step(case, world.kecamatan_user, "escalate", "Mohon bantuan.")
    with celery_worker(redis_url, env=worker_env) as (queue, _proc):
        deliver_due.apply_async(queue=queue)
        drain(queue)
        failed = Delivery.objects.get(recipient=pokja, channel="whatsapp")
        assert failed.status == "failed" and failed.permanent_failure and "400" in failed.last_error
        assert len(smtp.to(pokja.email)) == 1  # email still went out

        gateway.respond(502, {"status": False})  # the officer's first attempt: temporary
        route_enqueues(queue)
        step(case, pokja, "assign", "Mohon dijadwalkan.", opd=world.opd_a_tani,
             due_date=local_today(world) + timedelta(days=14), assignee=officer)
        retry = wait_until(lambda: Delivery.objects.filter(recipient=officer, channel="whatsapp", attempts=1,
                                                           status="pending").first())
        assert "502" in retry.last_error and retry.next_attempt_at > timezone.now()
        # The backoff has passed (the stored time moved, as the clock would); beat's next delivery sends it.
        Delivery.objects.filter(pk=retry.pk).update(next_attempt_at=timezone.now())
        deliver_due.apply_async(queue=queue)
        wait_until(lambda: Delivery.objects.filter(pk=retry.pk, status="sent").exists())
    to_officer = [r for r in gateway.requests if r["form"]["target"] == "6281234567890"]
    assert len(to_officer) == 2
    assert to_officer[-1]["headers"]["Authorization"] == "token-uji"
    assert f"Kasus #{case.pk}" in to_officer[-1]["form"]["message"]
    assert "Dinas Pertanian" in to_officer[-1]["form"]["message"]
