"""Two ``celery beat`` processes by mistake: every job is sent twice as often, and still each reminder
reaches its person once.

Two real beat processes (each with its own schedule file, as two servers would
have) run the production jobs of notifications.schedule — every two seconds
here instead of every one or five minutes — into one queue read by two workers,
so sweeps and deliveries also run side by side.
"""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections import Counter
from contextlib import ExitStack
from datetime import timedelta

import pytest

from casework.services.meetings import meeting_create
from notifications.links import absolute, case_url, meeting_url
from notifications.models import Delivery, Notification
from tests.faults.conftest import (
    ROOT,
    assert_nothing_left,
    digest_links,
    wait_for,
    wait_queue_empty,
    worker_env,
)
from tests.notifications.conftest import assigned_case, local_today
from tests.support.celery_worker import celery_worker, stop_process

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]

SWEEP = "Sending due task notifications-sweep-reminders"


def start_beat(env: dict, folder, name: str):
    log = open(folder / f"{name}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
         "-s", str(folder / f"{name}-schedule"), "--pidfile", str(folder / f"{name}.pid")],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    return proc, log


def stop(proc, log) -> None:
    stop_process(proc, log)


def test_two_beats_still_send_one_message_per_reminder(any_hour, postgres_db, private_redis, broker, smtp,
                                                       discard_enqueues, tmp_path):
    world = any_hour
    today = local_today(world)
    for i in range(3):  # overdue for two days: "deadline passed" to the officer
        assigned_case(world, due=today - timedelta(days=2), assigned_days_ago=5, obstacle=f"Kendala nomor {i}")
    # Overdue for ten days: "still overdue" to the officer and "overdue, reported" to the Pokja chair.
    assigned_case(world, due=today - timedelta(days=10), assigned_days_ago=14, obstacle="Kendala lama")
    meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk, date=today + timedelta(days=1),
                   place="Balai Desa X", desa_ids=[world.desa_a1.pk])  # "meeting tomorrow" to the staff
    Notification.objects.all().delete()  # only what the beats' jobs write from here on
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    env = {**worker_env(private_redis, smtp), "CELERY_DEFAULT_QUEUE": queue}

    with ExitStack() as stack:
        for _ in range(2):
            stack.enter_context(celery_worker(private_redis.url(), queue=queue, env=env, app=broker))
        beats = [start_beat(env, tmp_path, name) for name in ("beat-a", "beat-b")]
        try:
            # Each beat sends the sweep at start and then every two seconds: wait for several rounds of both.
            wait_for(lambda: all((tmp_path / f"{n}.log").read_text().count(SWEEP) >= 3 for n in ("beat-a", "beat-b")),
                     timeout=90, what="both beats sending the sweep again and again")
        finally:
            for proc, log in beats:
                stop(proc, log)
        wait_queue_empty(private_redis, queue)
    assert_nothing_left(private_redis, queue)

    reminders = Counter(Notification.objects.values_list("kind", flat=True))
    assert reminders == {"deadline_passed": 3, "overdue_repeat": 1, "overdue_escalation": 1, "meeting": 1}
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert Delivery.objects.count() == Notification.objects.count()
    # In the mail: each reminder exactly once, whatever the digests they were grouped into.
    for person in (world.opd_user, world.pokja_user, world.kecamatan_user):
        expected = Counter(absolute(case_url(n.case_id) if n.case_id else meeting_url(n.meeting_id))
                           for n in Notification.objects.filter(recipient=person))
        assert expected, person.username
        assert Counter(digest_links(smtp.to(person.email))) == expected, person.username
