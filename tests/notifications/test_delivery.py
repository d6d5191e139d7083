"""Delivery in-process (SQLite, Django's in-memory mail outbox): digests, claims, retries, preferences."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from notifications.delivery import CLAIM_TIMEOUT, MAX_ATTEMPTS, deliver_digest, deliver_due_notifications
from notifications.models import Delivery, Notification
from notifications.sweep import sweep_reminders
from tests.conftest import make_case, step
from tests.notifications.conftest import assigned_case, local_today
from tests.notifications.fakes import FakeGateway

pytestmark = pytest.mark.django_db
WIT = ZoneInfo("Asia/Jayapura")


def escalate(world, text="Penyuluh pertanian tidak hadir."):
    case = make_case(world, obstacle=text)
    step(case, world.kecamatan_user, "escalate", "Mohon bantuan kabupaten.")
    return case


def test_an_event_is_emailed_once_however_often_delivery_runs(any_hour):
    world = any_hour
    case = escalate(world)
    deliver_due_notifications()
    deliver_due_notifications()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.pokja_user.email]
    assert f"Kasus #{case.pk} dieskalasi ke kabupaten" in message.subject
    assert "Mohon bantuan kabupaten." in message.body
    html = message.alternatives[0][0]
    assert f"/kasus/{case.pk}/" in html and "<p>" in html
    d = Delivery.objects.get(notification__case=case, channel="email")
    assert d.status == "sent" and d.attempts == 1 and d.sent_at is not None


def test_thirty_overdue_cases_make_one_email_listing_all_of_them(any_hour):
    world = any_hour
    for i in range(30):
        assigned_case(world, due=local_today(world) - timedelta(days=2), assigned_days_ago=5,
                      obstacle=f"Kendala nomor {i:02d} di desa")
    mail.outbox.clear()
    Notification.objects.all().delete()  # only the reminders, not the assignment events
    created = sweep_reminders()
    assert created["deadline_passed"] == 30
    report = deliver_due_notifications()
    to_officer = [m for m in mail.outbox if m.to == [world.opd_user.email]]
    assert len(to_officer) == 1
    assert "30 pemberitahuan" in to_officer[0].subject
    for i in range(30):
        assert f"Kendala nomor {i:02d}" in to_officer[0].body
    assert report["sent"] == 30 and report["messages"] == 1
    assert not Delivery.objects.exclude(status="sent").exists()


def test_rows_claimed_by_another_sender_are_not_sent_again(any_hour):
    world = any_hour
    escalate(world)
    deliver_due_notifications(now=timezone.now() - timedelta(days=1))  # plans, nothing due yet
    d = Delivery.objects.get()
    # Another worker claimed the row a moment ago and is sending it now.
    Delivery.objects.filter(pk=d.pk).update(claimed_at=timezone.now(), claim_token="00000000-0000-0000-0000-000000000001")
    deliver_due_notifications()
    assert mail.outbox == []
    # That worker died mid-send: after the claim times out the row is claimable again.
    deliver_due_notifications(now=timezone.now() + CLAIM_TIMEOUT + timedelta(minutes=1))
    assert len(mail.outbox) == 1


def test_a_lost_claim_race_sends_nothing(any_hour):
    world = any_hour
    escalate(world)
    deliver_due_notifications(now=timezone.now() - timedelta(days=1))
    now = timezone.now()
    assert deliver_digest(recipient_id=world.pokja_user.pk, channel="email", now=now) == 1
    assert deliver_digest(recipient_id=world.pokja_user.pk, channel="email", now=now) == 0
    assert len(mail.outbox) == 1


def test_nothing_goes_out_before_working_hours(world):
    case = assigned_case(world, due=local_today(world) + timedelta(days=1))
    mail.outbox.clear()
    Notification.objects.all().delete()
    later = case.deadline_at + timedelta(days=1)
    tuesday = later.date() + timedelta(days=(1 - later.weekday()) % 7)
    night = datetime.combine(tuesday, time(2), tzinfo=WIT)
    sweep_reminders(now=night)
    deliver_due_notifications(now=night + timedelta(hours=5))  # 07:00 WIT
    assert mail.outbox == []
    deliver_due_notifications(now=night + timedelta(hours=6))  # 08:00 WIT
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.opd_user.email]


def test_preferences_decide_the_channels_and_in_app_is_always_there(any_hour, settings):
    world = any_hour
    settings.WHATSAPP_GATEWAY_URL = "http://127.0.0.1:9/unused"
    pokja = world.pokja_user
    pokja.notify_email = False
    pokja.save()
    case = escalate(world)
    deliver_due_notifications()
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=pokja, case=case, read_at=None).exists()
    assert not Delivery.objects.filter(recipient=pokja).exists()


def test_a_channel_switched_off_after_planning_is_skipped(any_hour):
    world = any_hour
    escalate(world)
    deliver_due_notifications(now=timezone.now() - timedelta(days=1))
    world.pokja_user.notify_email = False
    world.pokja_user.save()
    deliver_due_notifications()
    assert mail.outbox == []
    assert Delivery.objects.get().status == "skipped"


def test_a_failing_channel_does_not_stop_the_others(any_hour, settings):
    world = any_hour
    pokja = world.pokja_user
    pokja.phone, pokja.notify_whatsapp = "+6281234567891", True
    pokja.save()
    with FakeGateway() as gateway:
        settings.WHATSAPP_GATEWAY_URL, settings.WHATSAPP_GATEWAY_TOKEN = gateway.url, "rahasia"
        gateway.respond(401, {"status": False, "reason": "invalid token"})
        escalate(world)
        deliver_due_notifications()
    assert len(mail.outbox) == 1
    wa = Delivery.objects.get(channel="whatsapp")
    assert wa.status == "failed" and wa.permanent_failure and "401" in wa.last_error
    assert Delivery.objects.get(channel="email").status == "sent"


def test_temporary_failures_are_retried_with_backoff_then_given_up(any_hour, settings):
    world = any_hour
    pokja = world.pokja_user
    pokja.phone, pokja.notify_whatsapp, pokja.notify_email = "+6281234567891", True, False
    pokja.save()
    with FakeGateway() as gateway:
        settings.WHATSAPP_GATEWAY_URL = gateway.url
        escalate(world)
        for _ in range(MAX_ATTEMPTS):
            gateway.respond(503, {"status": False, "reason": "maintenance"})
        now = timezone.now()
        deliver_due_notifications(now=now)
        d = Delivery.objects.get()
        assert (d.status, d.attempts, d.permanent_failure, d.claim_token) == ("pending", 1, False, None)
        assert d.next_attempt_at > now and "503" in d.last_error
        deliver_due_notifications(now=now)  # not yet: waiting out the backoff
        assert len(gateway.requests) == 1
        for _ in range(MAX_ATTEMPTS - 1):
            d.refresh_from_db()
            deliver_due_notifications(now=d.next_attempt_at)
        d.refresh_from_db()
        assert len(gateway.requests) == MAX_ATTEMPTS
        assert d.status == "failed" and not d.permanent_failure and d.attempts == MAX_ATTEMPTS
        gateway.respond(200, {"status": True})
        deliver_due_notifications(now=d.next_attempt_at + timedelta(days=1))
        assert len(gateway.requests) == MAX_ATTEMPTS  # given up: the admin decides now


def test_each_channel_renders_only_the_parts_it_sends(any_hour):
    from django.test.signals import template_rendered

    from notifications.channels.email import EmailChannel
    from notifications.channels.whatsapp import WhatsAppChannel
    from notifications.rendering import render_message

    world = any_hour
    escalate(world)
    escalate(world, "Bibit terlambat datang.")
    notes = list(Notification.objects.filter(recipient=world.pokja_user).order_by("pk"))
    assert len(notes) == 2
    seen: list[str] = []

    def record(sender, template, **kwargs):
        seen.append(template.name)

    template_rendered.connect(record)
    try:
        email = render_message(world.pokja_user, notes, parts=EmailChannel.parts)
        by_email, seen[:] = list(seen), []
        short = render_message(world.pokja_user, notes, parts=WhatsAppChannel.parts)
        by_whatsapp = list(seen)
    finally:
        template_rendered.disconnect(record)
    assert "Bibit terlambat datang." in email.text and "<" in email.html and email.subject and not email.short
    assert "Kasus #" in short.short and "/kasus/" in short.short and not (short.text or short.html or short.subject)
    assert not any(name.endswith("whatsapp.txt") for name in by_email)
    assert by_whatsapp and all(name.endswith("whatsapp.txt") for name in by_whatsapp)


@pytest.mark.parametrize("gateway", ["", "http://127.0.0.1:9/kirim"])
def test_each_channels_user_condition_agrees_with_its_wants(world, settings, gateway):
    from itertools import product

    from accounts.models import User
    from notifications.channels import CHANNELS
    from tests.factories import UserFactory

    settings.WHATSAPP_GATEWAY_URL = gateway
    for i, (active, by_email, email, by_wa, phone) in enumerate(product([True, False], repeat=5)):
        UserFactory(username=f"pref{i}", is_active=active, notify_email=by_email, email="a@b.id" if email else "",
                    notify_whatsapp=by_wa, phone="081234567890" if phone else "")
    for channel in CHANNELS.values():
        try:
            chosen = set(User.objects.filter(channel.recipients()).values_list("pk", flat=True))
        except Exception:  # noqa: BLE001 - an always-false condition cannot be compiled
            chosen = set()
        assert chosen == {u.pk for u in User.objects.all() if channel.wants(u)}, channel.name


def test_planning_in_small_chunks_makes_one_row_per_wanted_channel(any_hour, settings, monkeypatch):
    from notifications import delivery

    world = any_hour
    settings.WHATSAPP_GATEWAY_URL = "http://127.0.0.1:9/kirim"
    world.opd_user.phone, world.opd_user.notify_whatsapp = "081234567890", True
    world.opd_user.save()
    for i in range(4):
        assigned_case(world, due=local_today(world) - timedelta(days=2), assigned_days_ago=5, obstacle=f"Kendala {i}")
    Delivery.objects.all().delete()
    Notification.objects.update(planned_at=None)
    monkeypatch.setattr(delivery, "PLAN_CHUNK", 2)
    created = delivery.plan_deliveries()
    expected = {(n.pk, name) for n in Notification.objects.select_related("recipient")
                for name in ("email", "whatsapp") if delivery.get_channel(name).wants(n.recipient)}
    assert created == len(expected) > Notification.objects.count()  # some people get both channels
    assert set(Delivery.objects.values_list("notification_id", "channel")) == expected
    assert not Notification.objects.filter(planned_at=None).exists()
    assert delivery.plan_deliveries() == 0  # planned once
    d = Delivery.objects.select_related("notification").first()
    assert d.status == "pending" and d.attempts == 0 and d.next_attempt_at == d.notification.send_after
    assert d.recipient_id == d.notification.recipient_id
