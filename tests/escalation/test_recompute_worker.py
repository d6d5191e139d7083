"""Against the real services: a policy change is recomputed by a real Celery worker after commit."""
from __future__ import annotations

import pytest

from casework.models import Case
from escalation.services import policy_update
from tests.escalation.conftest import escalated_case
from tests.support.celery_worker import celery_worker, wait_until


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_policy_change_reaches_the_worker_and_moves_stored_deadlines(world, redis_url):
    from config.celery import app

    case = escalated_case(world)
    case.refresh_from_db()
    before = case.deadline_at
    with celery_worker(redis_url) as (queue, _proc):
        # The service enqueues with .delay(); send it to this test's private queue.
        old_queue = app.conf.task_default_queue
        app.conf.task_default_queue = queue
        try:
            policy_update(user=world.pokja_user, kabupaten_id=world.kab_a.pk, values={"escalated_working_days": 10})
            after = wait_until(lambda: Case.objects.get(pk=case.pk).deadline_at != before and
                               Case.objects.get(pk=case.pk).deadline_at)
        finally:
            app.conf.task_default_queue = old_queue
    assert (after - before).days == 7
