"""A worker killed (``kill -9``) in the middle of sending: the task comes back and the message goes out once.

Two things make this work, and the test needs both: ``acks_late`` (the broker
still holds the unacknowledged task of the dead worker and hands it out again
after the visibility timeout) and the Delivery claim expiry (the dead worker's
claim on the row runs out, so the redelivered task may take it). Both are short
here through the same settings production uses (CELERY_VISIBILITY_TIMEOUT,
NOTIFICATION_CLAIM_TIMEOUT).
"""
from __future__ import annotations

import uuid

import pytest

from notifications.links import absolute
from notifications.models import Delivery
from tests.conftest import make_case, step
from tests.faults.conftest import (
    LOG_DIR,
    assert_nothing_left,
    digest_links,
    hanging_smtp_server,
    wait_for,
    wait_queue_empty,
    worker_env,
)
from tests.support.celery_worker import celery_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]


@pytest.fixture
def hanging_smtp():
    with hanging_smtp_server() as server:
        yield server


def test_a_worker_killed_while_sending_leaves_a_task_that_is_redelivered_and_sent_once(
        any_hour, postgres_db, private_redis, broker, hanging_smtp, discard_enqueues):
    world = any_hour
    case = make_case(world)
    step(case, world.kecamatan_user, "escalate", "Mohon dukungan kabupaten.")  # a message for the Pokja
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    env = worker_env(private_redis, hanging_smtp, CELERY_VISIBILITY_TIMEOUT="5", NOTIFICATION_CLAIM_TIMEOUT="3")
    redis = private_redis.client()

    with celery_worker(private_redis.url(), queue=queue, env=env, app=broker) as (_queue, doomed):
        task_id = broker.send_task("notifications.deliver_due", queue=queue).id
        assert hanging_smtp.hung.wait(timeout=60), "the worker never reached the mail server"
        delivery = Delivery.objects.get(recipient=world.pokja_user, channel="email")
        assert delivery.status == "pending" and delivery.claim_token is not None  # claimed, mid-send
        doomed.kill()  # SIGKILL: no warm shutdown, no ack, no cleanup
        doomed.wait()
    assert redis.hlen("unacked") == 1  # the broker still holds the unfinished task
    assert hanging_smtp.messages == []  # and nothing was delivered

    with celery_worker(private_redis.url(), queue=queue, env=env, app=broker):
        (message,) = wait_for(lambda: hanging_smtp.to(world.pokja_user.email), timeout=90,
                              what="the redelivered task's message")
        for _ in range(2):  # the periodic delivery afterwards finds nothing left to send
            broker.send_task("notifications.deliver_due", queue=queue)
        wait_queue_empty(private_redis, queue)
    assert_nothing_left(private_redis, queue)

    assert task_id in (LOG_DIR / f"worker-{queue}.log").read_text()  # the same task, run by the new worker
    assert len(hanging_smtp.to(world.pokja_user.email)) == 1
    assert digest_links([message]) == [absolute(f"/kasus/{case.pk}/")]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
