"""Where a notification points: the case page, the meeting page, or the notification centre."""
from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def _reverse(name: str, pk: int, fallback: str) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # the page may live under another name in this build
        return fallback


def case_url(case_id: int) -> str:
    return _reverse("casework:case_detail", case_id, f"/kasus/{case_id}/")


def meeting_url(meeting_id: int) -> str:
    return _reverse("casework:meeting_detail", meeting_id, reverse("notifications:list"))


def notification_target(notification) -> str:
    if notification.case_id:
        return case_url(notification.case_id)
    if notification.meeting_id:
        return meeting_url(notification.meeting_id)
    return reverse("notifications:list")


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
