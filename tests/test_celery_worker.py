"""A real Celery worker takes a task from the real Redis and its effect lands in the database."""
from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import Case
from escalation.models import DeadlinePolicy
from escalation.tasks import recompute_deadlines
from tests.conftest import make_case, step
from tests.support.celery_worker import celery_worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_recomputes_deadlines_from_redis(world, redis_url, postgres_db):
    case = make_case(world)
    step(case, world.kecamatan_user, "escalate", "Mohon bantuan penyuluh")
    case.refresh_from_db()
    before = case.deadline_at
    DeadlinePolicy.objects.filter(kabupaten=world.kab_a).update(escalated_working_days=20)
    with celery_worker(redis_url) as (queue, _proc):
        recompute_deadlines.apply_async(args=[world.kab_a.pk], queue=queue)
        after = wait_until(lambda: Case.objects.filter(pk=case.pk).exclude(deadline_at=before)
                           .values_list("deadline_at", flat=True).first(), timeout=60)
    # 20 working days are at least four calendar weeks after 5 working days.
    assert after - before >= timedelta(days=15)
    assert after > timezone.now() + timedelta(days=20)
