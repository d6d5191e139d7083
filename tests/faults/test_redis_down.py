"""Redis down for a while: people keep logging, escalating and assigning cases; the messages go out once
Redis is back, and only once.

The notification tests already show one service call in a process whose broker
port is closed. Here the whole app runs under gunicorn with a PRIVATE Redis as
broker and cache; the test stops that Redis, works through the pages, starts
Redis again on the same port, and the SAME web process enqueues again by itself.
"""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from casework.models import Case, CaseEvent
from casework.services.meetings import meeting_create, meeting_prepare
from notifications.links import absolute
from notifications.models import Delivery, Notification
from tests.faults.conftest import (
    Browser,
    assert_nothing_left,
    digest_links,
    wait_for,
    wait_queue_empty,
    web_server,
    worker_env,
)
from tests.notifications.conftest import local_today
from tests.support.celery_worker import celery_worker
from tests.support.celery_worker import test_database_url as worker_database_url

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]

PASSWORD = "rahasia-123"  # tests.factories.UserFactory


def form_version(page: str, action: str) -> str:
    import re

    found = re.search(rf'name="{action}-version" value="(\d+)"', page)
    assert found, f"no {action} form on the page"
    return found.group(1)


def test_cases_move_while_redis_is_down_and_their_messages_go_out_once_it_is_back(
        any_hour, postgres_db, private_redis, broker, smtp, discard_enqueues):
    world = any_hour
    kec, pokja, officer = world.kecamatan_user, world.pokja_user, world.opd_user
    meeting = meeting_create(user=kec, kecamatan_id=world.kec_a1.pk, date=local_today(world),
                             desa_ids=[world.desa_a1.pk])
    meeting_prepare(user=meeting.created_by, meeting_id=meeting.pk)
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    app_env = {"DATABASE_URL": worker_database_url(), "REDIS_URL": private_redis.url(),
               "CELERY_DEFAULT_QUEUE": queue}

    private_redis.stop()
    with web_server(app_env) as (base, log_path, web):
        # Redis is down: the kecamatan records an obstacle and escalates it, the Pokja assigns it.
        staff = Browser(base)
        staff.login(kec.username, PASSWORD)
        recorded = staff.post(f"/pertemuan/{meeting.pk}/desa/{world.desa_a1.pk}/kendala/", {
            "target": "", "obstacle": "Dana Desa untuk modal BUMDES tertahan", "cause": "Laporan terlambat",
            "solution": "", "support_needed": "", "support_from": "desa"})
        assert recorded.status_code == 302
        case = Case.objects.get(obstacle="Dana Desa untuk modal BUMDES tertahan")
        page = staff.get(f"/kasus/{case.pk}/").text
        assert staff.post(f"/kasus/{case.pk}/aksi/escalate/", {
            "escalate-version": form_version(page, "escalate"),
            "escalate-note": "Mohon DPMD mendampingi penyusunan laporan."}).status_code == 302
        chair = Browser(base)
        chair.login(pokja.username, PASSWORD)
        page = chair.get(f"/kasus/{case.pk}/").text
        assert chair.post(f"/kasus/{case.pk}/aksi/assign/", {
            "assign-version": form_version(page, "assign"), "assign-note": "Mohon dijadwalkan.",
            "assign-opd": world.opd_a_tani.pk,
            "assign-due_date": (local_today(world) + timedelta(days=14)).isoformat()}).status_code == 302

        case.refresh_from_db()
        assert case.state == "assigned" and case.opd_id == world.opd_a_tani.pk
        assert list(CaseEvent.objects.filter(case=case).values_list("kind", "action")) == [
            ("created", ""), ("transition", "escalate"), ("transition", "assign")]
        # The ledger rows were committed with the steps; nothing could be sent yet.
        assert set(Notification.objects.filter(case=case).values_list("kind", "recipient")) == {
            ("escalated", pokja.pk), ("assigned", officer.pk)}
        assert not Delivery.objects.filter(status="sent").exists() and smtp.messages == []
        assert log_path.read_text().count("Broker unreachable") == 2  # both enqueues really failed

        # Redis is back, on the same port. The periodic delivery (beat's job) sends what waited.
        private_redis.start()
        with celery_worker(private_redis.url(), queue=queue, env=worker_env(private_redis, smtp), app=broker):
            broker.send_task("notifications.deliver_due", queue=queue)
            wait_for(lambda: smtp.to(pokja.email) and smtp.to(officer.email), timeout=60,
                     what="the messages that waited for Redis")
            # The web process was never restarted: its next step enqueues on the new connection by itself.
            desk = Browser(base)
            desk.login(officer.username, PASSWORD)
            assert desk.post(f"/kasus/{case.pk}/perkembangan/",
                             {"progress-note": "Pendampingan dijadwalkan minggu depan."}).status_code == 302
            wait_for(lambda: smtp.to(kec.email), timeout=60, what="the progress message, enqueued by the web app")
            for _ in range(2):  # later periodic deliveries find nothing left to send
                broker.send_task("notifications.deliver_due", queue=queue)
            wait_queue_empty(private_redis, queue)
        assert web.poll() is None
    assert_nothing_left(private_redis, queue)

    for person, kind in ((pokja, "escalated"), (officer, "assigned"), (kec, "progress")):
        messages = smtp.to(person.email)
        assert len(messages) == 1, (person.username, [m["Subject"] for m in messages])
        assert digest_links(messages) == [absolute(f"/kasus/{case.pk}/")]
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}
