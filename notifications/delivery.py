"""Sending: plan Delivery rows, claim them by conditional update, send one digest per person and channel.

Exactly once, whatever happens:
- ``plan_deliveries`` inserts one row per (notification, channel) with
  ``ignore_conflicts`` on that unique pair, so two planners make one row.
- ``deliver_due_notifications`` claims a recipient's due rows with
  ``UPDATE … SET claim_token=<mine> WHERE pk IN (…) AND claim is free`` and then
  sends only the rows carrying its own token. Two workers, a re-delivered task or
  beat firing twice: the loser of the UPDATE finds no rows and sends nothing.
- A worker that dies after claiming leaves a claim that expires after
  ``settings.NOTIFICATION_CLAIM_TIMEOUT`` (30 minutes, shorter than the
  broker's visibility timeout); the rows are then claimable again, so the
  redelivered task sends them (a crash before the send must not lose the
  message).
- A temporary channel error releases the claim and sets ``next_attempt_at``
  with exponential backoff (inside working hours); a permanent one, or too many
  attempts, marks the rows failed for the admin. Other channels are unaffected.
"""
from __future__ import annotations

import logging
import uuid
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from notifications.channels import EXTERNAL, ChannelError, get_channel
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.rendering import render_message
from notifications.timing import fallback_window, send_windows

log = logging.getLogger(__name__)

# Notifications planned per round: a few INSERT … SELECT statements each, so memory stays flat.
PLAN_CHUNK = 5000
CLAIM_TIMEOUT = timedelta(minutes=30)
MAX_ATTEMPTS = 8
MAX_DIGEST_ITEMS = 50
MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """2, 4, 8, … minutes after the n-th failed attempt, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts, 1)), MAX_BACKOFF)


def claim_timeout() -> timedelta:
    """How long a claim holds (settings.NOTIFICATION_CLAIM_TIMEOUT; CLAIM_TIMEOUT when unset)."""
    return getattr(settings, "NOTIFICATION_CLAIM_TIMEOUT", CLAIM_TIMEOUT)


def _claim_free(now: datetime) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_timeout())


def plan_deliveries(*, now: datetime | None = None) -> int:
    """Create the Delivery rows for notifications that have none yet, by the recipient's preferences.

    Per chunk of unplanned notifications (by id), one ``INSERT … SELECT … ON CONFLICT DO NOTHING``
    per channel, its users chosen by the channel's ``recipients()`` condition: after a national sweep
    (~110,000 reminders) building a row object per notification in Python took most of a run.
    """
    now = now or timezone.now()
    created = 0
    table = connection.ops.quote_name(Delivery._meta.db_table)
    while True:
        ids = list(Notification.objects.filter(planned_at=None).order_by("pk").values_list("pk", flat=True)[:PLAN_CHUNK])
        if not ids:
            return created
        # The chunk as an id range (no IN list of thousands of parameters); a row of the range
        # committed late by a concurrent writer is unplanned too, so planning it here is right.
        chunk = Notification.objects.filter(pk__gte=ids[0], pk__lte=ids[-1], planned_at=None)
        with transaction.atomic():
            for name in EXTERNAL:
                wanted = User.objects.filter(get_channel(name).recipients()).values("pk")
                try:
                    sql, params = (chunk.filter(recipient__in=wanted).order_by()
                                   .values_list("pk", "recipient_id", "send_after").query.sql_with_params())
                except EmptyResultSet:  # the channel is off for everyone (e.g. no WhatsApp gateway)
                    continue
                with connection.cursor() as cursor:
                    # "WHERE true": SQLite needs it to parse INSERT … SELECT … ON CONFLICT.
                    cursor.execute(
                        f"INSERT INTO {table} (notification_id, recipient_id, next_attempt_at, channel, status, "  # noqa: S608
                        f"attempts, last_error, permanent_failure, created_at) "
                        f"SELECT planned.*, %s, %s, 0, '', %s, %s FROM ({sql}) AS planned WHERE true "
                        f"ON CONFLICT (notification_id, channel) DO NOTHING",
                        [name, DeliveryStatus.PENDING.value, False, now, *params])
                    created += max(cursor.rowcount, 0)
            chunk.update(planned_at=now)


def due_deliveries(now: datetime):
    return Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).filter(_claim_free(now))


def deliver_due_notifications(*, now: datetime | None = None, max_recipients: int = 500) -> Counter:
    """Send everything due: one message per (recipient, channel). Returns counts by outcome."""
    now = now or timezone.now()
    plan_deliveries(now=now)
    report: Counter = Counter()
    pairs = list(due_deliveries(now).order_by().values_list("recipient_id", "channel").distinct()[:max_recipients])
    for recipient_id, channel in pairs:
        deliver_digest(recipient_id=recipient_id, channel=channel, now=now, report=report)
    return report


def deliver_digest(*, recipient_id: int, channel: str, now: datetime, report: Counter | None = None) -> int:
    """Claim one recipient's due rows on one channel and send them as one message. Returns rows sent."""
    report = report if report is not None else Counter()
    ids = list(due_deliveries(now).filter(recipient_id=recipient_id, channel=channel)
               .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:MAX_DIGEST_ITEMS])
    if not ids:
        return 0
    token = uuid.uuid4()
    # The claim: only rows still free are taken; a concurrent sender's UPDATE finds them taken.
    claimed = (Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).filter(_claim_free(now))
               .update(claimed_at=now, claim_token=token))
    if not claimed:
        report["lost_claim"] += 1
        return 0
    mine = Delivery.objects.filter(claim_token=token, status=DeliveryStatus.PENDING)
    rows = list(mine.select_related("notification", "recipient").order_by("notification__created_at", "pk"))
    recipient = rows[0].recipient
    transport = get_channel(channel)
    if not transport.wants(recipient):
        # Preferences changed since the rows were planned: respect the new choice.
        mine.update(status=DeliveryStatus.SKIPPED, last_error="Saluran dimatikan oleh pengguna.")
        report["skipped"] += len(rows)
        return 0
    try:
        message = render_message(recipient, [d.notification for d in rows], now=now, parts=transport.parts)
        transport.send(recipient=recipient, message=message)
    except ChannelError as exc:
        _failed(mine, recipient, exc.message, permanent=exc.permanent, now=now, report=report)
        return 0
    except Exception as exc:  # noqa: BLE001 - a bug or an unexpected library error: retry, and log it
        log.exception("Sending %s to user %s failed", channel, recipient_id)
        _failed(mine, recipient, f"{type(exc).__name__}: {exc}", permanent=False, now=now, report=report)
        return 0
    sent = mine.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1,
                       last_error="")
    report["sent"] += sent
    report["messages"] += 1
    return sent


def _failed(mine, recipient, error: str, *, permanent: bool, now: datetime, report: Counter) -> None:
    error = error[:2000]
    if permanent:
        report["failed"] += mine.update(status=DeliveryStatus.FAILED, permanent_failure=True, last_error=error,
                                        attempts=F("attempts") + 1)
        return
    report["failed"] += mine.filter(attempts__gte=MAX_ATTEMPTS - 1).update(
        status=DeliveryStatus.FAILED, last_error=f"{error} (berhenti setelah {MAX_ATTEMPTS} percobaan)",
        attempts=F("attempts") + 1)
    attempts = (mine.order_by("-attempts").values_list("attempts", flat=True).first() or 0) + 1
    kab = recipient.home_kabupaten_id
    window = send_windows([kab]).get(kab) if kab else None
    retry_at = (window or fallback_window()).next_send_time(now + backoff(attempts))
    report["retry"] += mine.update(attempts=F("attempts") + 1, claimed_at=None, claim_token=None,
                                   next_attempt_at=retry_at, last_error=error)
