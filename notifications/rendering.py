"""Message texts from templates: one set per kind (subject, text, HTML, WhatsApp), wrapped in a digest.

templates/notifications/messages/<kind>/{subject.txt,body.txt,body.html,whatsapp.txt}
templates/notifications/messages/digest/{subject.txt,body.txt,body.html,whatsapp.txt}
Rendered in Bahasa Indonesia, with times in the recipient's local zone.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.safestring import mark_safe

from casework.models import DeadlineKind

from notifications.channels.base import Message
from notifications.links import absolute, notification_target


class Item:
    """One notification's texts, each rendered only when a message part asks for it."""

    def __init__(self, notification):
        self.notification = notification
        self.url = absolute(notification_target(notification))
        self._ctx = {"n": notification, "p": payload_for_templates(notification.payload), "url": self.url}

    def _part(self, name: str) -> str:
        return _render(self.notification.kind, name, self._ctx)

    @cached_property
    def subject(self) -> str:
        return " ".join(self._part("subject.txt").split())

    @cached_property
    def text(self) -> str:
        return self._part("body.txt")

    @cached_property
    def html(self) -> str:
        return mark_safe(self._part("body.html"))  # noqa: S308 - rendered by a template

    @cached_property
    def short(self) -> str:
        return self._part("whatsapp.txt")


def _last_day(moment: datetime | None):
    """A deadline is the local midnight *after* its last day; people want to read that last day."""
    if moment is None:
        return None
    return timezone.localtime(moment - timedelta(microseconds=1)).date()


def payload_for_templates(payload: dict) -> dict:
    """The payload with its ISO dates turned back into dates, plus the readable deadline day and label."""
    out = dict(payload)
    for key, value in payload.items():
        if isinstance(value, str) and key.endswith(("_at", "_date")) and value:
            out[key] = parse_datetime(value) if key.endswith("_at") else parse_date(value)
    out["deadline_day"] = _last_day(out.get("deadline_at"))
    out["update_due_day"] = _last_day(out.get("update_due_at"))
    if payload.get("deadline_kind") in DeadlineKind.values:
        label = str(DeadlineKind(payload["deadline_kind"]).label)
        out["deadline_label"] = label[:1].lower() + label[1:]  # "Diterima OPD" → "diterima OPD"
    return out


def _render(kind: str, name: str, context: dict) -> str:
    return render_to_string(f"notifications/messages/{kind}/{name}", context).strip()


def render_item(notification) -> Item:
    return Item(notification)


ALL_PARTS = ("subject", "text", "html", "short")


def render_message(recipient, notifications: list, *, now: datetime | None = None,
                   parts: tuple[str, ...] = ALL_PARTS) -> Message:
    """One message for one recipient: the notification itself, or a digest listing all of them.

    Only the ``parts`` the channel sends are rendered (e-mail: subject, text,
    HTML; WhatsApp: the short text), each from its own template.
    """
    with translation.override(settings.LANGUAGE_CODE), timezone.override(recipient.tzinfo):
        items = [render_item(n) for n in notifications]
        ctx = {"items": items, "count": len(items), "recipient": recipient,
               "name": recipient.get_full_name() or recipient.username,
               "centre_url": absolute(reverse("notifications:list")),
               "preferences_url": absolute(reverse("notifications:preferences")),
               "now": now or timezone.now()}
        subject = ""
        if "subject" in parts:
            subject = items[0].subject if len(items) == 1 else _render("digest", "subject.txt", ctx)
        files = {"text": "body.txt", "html": "body.html", "short": "whatsapp.txt"}
        rendered = {part: _render("digest", name, ctx) if part in parts else "" for part, name in files.items()}
        return Message(subject=" ".join(subject.split()), count=len(items), **rendered)
