"""Notification reads: always the user's own rows, about cases and meetings still in their scope."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus, Notification


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications, minus any about a case or meeting they can no longer see."""
    from casework.scoping import cases_for, meetings_for

    if user is None or not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    if getattr(user, "is_programme_admin", False):
        # The admin sees everything: checking against every case would cost ~90 ms a page at 1M cases.
        return Notification.objects.filter(recipient=user)
    return Notification.objects.filter(recipient=user).filter(
        Q(case__isnull=True) | Q(case__in=cases_for(user).values("pk")),
        Q(meeting__isnull=True) | Q(meeting__in=meetings_for(user).values("pk")),
    )


def unread_count_for(user: Any) -> int:
    """The number on the bell (one indexed count)."""
    return notifications_for(user).filter(read_at=None).count()


def notification_list(user: Any, *, unread_only: bool = False, kind: str = "") -> QuerySet[Notification]:
    qs = notifications_for(user).select_related("case", "case__desa", "meeting")
    if unread_only:
        qs = qs.filter(read_at=None)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def oldest_unsent_due_age(now=None) -> timedelta | None:
    """How long the oldest message that should have gone out by now has been waiting (None: nothing waits).

    For the health check: a growing age means the worker or beat is not running,
    or a channel keeps failing. Counts pending deliveries whose time has come and
    notifications not yet planned into deliveries.
    """
    now = now or timezone.now()
    oldest = [
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .aggregate(m=Min("next_attempt_at"))["m"],
        Notification.objects.filter(planned_at=None, send_after__lte=now).aggregate(m=Min("send_after"))["m"],
    ]
    oldest = [m for m in oldest if m is not None]
    return now - min(oldest) if oldest else None
