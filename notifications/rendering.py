"""Message texts from templates: one set per kind (subject, text, HTML, WhatsApp), wrapped in a digest.

templates/notifications/messages/<kind>/{subject.txt,body.txt,body.html,whatsapp.txt}
templates/notifications/messages/digest/{subject.txt,body.txt,body.html,whatsapp.txt}
Rendered in Bahasa Indonesia, with times in the recipient's local zone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.safestring import mark_safe

from casework.models import DeadlineKind

from notifications.channels.base import Message
from notifications.links import absolute, notification_target


@dataclass
class Item:
    notification: Any
    url: str
    subject: str
    text: str
    html: str
    short: str


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
    url = absolute(notification_target(notification))
    ctx = {"n": notification, "p": payload_for_templates(notification.payload), "url": url}
    return Item(notification=notification, url=url,
                subject=" ".join(_render(notification.kind, "subject.txt", ctx).split()),
                text=_render(notification.kind, "body.txt", ctx),
                html=mark_safe(_render(notification.kind, "body.html", ctx)),  # noqa: S308 - rendered by a template
                short=_render(notification.kind, "whatsapp.txt", ctx))


def render_message(recipient, notifications: list, *, now: datetime | None = None) -> Message:
    """One message for one recipient: the notification itself, or a digest listing all of them."""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(recipient.tzinfo):
        items = [render_item(n) for n in notifications]
        ctx = {"items": items, "count": len(items), "recipient": recipient,
               "name": recipient.get_full_name() or recipient.username,
               "centre_url": absolute(reverse("notifications:list")),
               "preferences_url": absolute(reverse("notifications:preferences")),
               "now": now or timezone.now()}
        subject = items[0].subject if len(items) == 1 else _render("digest", "subject.txt", ctx)
        return Message(subject=" ".join(subject.split()), text=_render("digest", "body.txt", ctx),
                       html=_render("digest", "body.html", ctx), short=_render("digest", "whatsapp.txt", ctx),
                       count=len(items))
