"""The admin shows failures and can retry them; the health check's numbers come from here."""
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from notifications.delivery import deliver_due_notifications, plan_deliveries
from notifications.models import Delivery
from notifications.selectors import oldest_unsent_due_age
from notifications.tasks import BEAT_TICK_KEY, heartbeat
from tests.conftest import make_case, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def escalated(any_hour):
    case = make_case(any_hour)
    step(case, any_hour.kecamatan_user, "escalate", "Mohon bantuan.")
    return case


def test_the_admin_lists_deliveries_with_status_channel_and_permanent_failure_filters(client, world, escalated):
    plan_deliveries()
    Delivery.objects.update(status="failed", permanent_failure=True, last_error="Gateway menjawab HTTP 400")
    client.force_login(world.admin_user)
    response = client.get(reverse("admin:notifications_delivery_changelist") +
                          "?status__exact=failed&channel__exact=email&permanent_failure__exact=1")
    assert response.status_code == 200
    assert "Gateway menjawab HTTP 400" in response.content.decode()
    assert client.get(reverse("admin:notifications_notification_changelist")).status_code == 200
    n = escalated.notifications.get()
    assert client.get(reverse("admin:notifications_notification_change", args=[n.pk])).status_code == 200


def test_the_admin_can_retry_a_failed_delivery(client, world, escalated):
    plan_deliveries()
    d = Delivery.objects.get()
    Delivery.objects.filter(pk=d.pk).update(status="failed", permanent_failure=True, attempts=3)
    client.force_login(world.admin_user)
    client.post(reverse("admin:notifications_delivery_changelist"),
                {"action": "retry_now", "_selected_action": [d.pk]})
    d.refresh_from_db()
    assert (d.status, d.permanent_failure, d.attempts) == ("pending", False, 0)
    deliver_due_notifications(now=timezone.now() + timedelta(seconds=1))
    d.refresh_from_db()
    assert d.status == "sent"


def test_oldest_unsent_due_age_grows_while_nothing_is_delivered(escalated):
    now = timezone.now()
    assert oldest_unsent_due_age(now - timedelta(days=1)) is None  # nothing due yet then
    age = oldest_unsent_due_age(now + timedelta(minutes=10))
    assert timedelta(minutes=9) < age <= timedelta(minutes=11)
    deliver_due_notifications(now=now + timedelta(minutes=10))
    assert oldest_unsent_due_age(now + timedelta(minutes=10)) is None


def test_the_heartbeat_records_the_beat_tick_in_the_cache():
    cache.delete(BEAT_TICK_KEY)
    before = timezone.now()
    heartbeat()
    assert before <= cache.get(BEAT_TICK_KEY) <= timezone.now()


def test_every_periodic_job_is_listed_in_the_one_schedule():
    from django.conf import settings

    from config.celery import app
    from notifications.schedule import BEAT_SCHEDULE

    assert settings.CELERY_BEAT_SCHEDULE is BEAT_SCHEDULE
    tasks = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert {"notifications.sweep_reminders", "notifications.deliver_due", "notifications.heartbeat"} <= tasks
    app.loader.import_default_modules()
    assert tasks <= set(app.tasks)
