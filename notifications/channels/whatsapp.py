"""WhatsApp/SMS through an HTTP gateway, the way the common Indonesian gateways take it.

Fonnte/Wablas style: ``POST`` form fields ``target`` (and ``phone``) with the
number and ``message`` with the text, header ``Authorization: <token>``. Some
gateways answer HTTP 200 with ``{"status": false, "reason": ...}``; that is a
failure too. 4xx (except 408/429) is permanent; 5xx, 408, 429, timeouts and
connection errors are temporary and retried with backoff.
"""
from __future__ import annotations

import json
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.channels.base import Channel, ChannelError, Message
from notifications.phone import normalise_phone

TIMEOUT_SECONDS = 15
MAX_TEXT = 4000
PERMANENT_REASONS = ("token", "invalid", "not registered", "tidak valid", "unauthorized")


class WhatsAppChannel(Channel):
    name = "whatsapp"
    label = _("WhatsApp/SMS")
    parts = ("short",)

    def wants(self, user: Any) -> bool:
        return bool(user.is_active and user.notify_whatsapp and user.phone and settings.WHATSAPP_GATEWAY_URL)

    def recipients(self) -> Q:
        if not settings.WHATSAPP_GATEWAY_URL:
            return Q(pk__in=[])
        return Q(is_active=True, notify_whatsapp=True) & ~Q(phone="")

    def send(self, *, recipient: Any, message: Message) -> None:
        url = settings.WHATSAPP_GATEWAY_URL
        if not url or urlsplit(url).scheme not in ("http", "https"):
            raise ChannelError("Gateway WhatsApp belum dikonfigurasi dengan benar.", permanent=True)
        try:
            number = normalise_phone(recipient.phone).lstrip("+")
        except ValueError as exc:
            raise ChannelError(str(exc), permanent=True) from exc
        data = urlencode({"target": number, "phone": number, "message": message.short[:MAX_TEXT]}).encode()
        request = Request(url, data=data, method="POST", headers={
            "Authorization": settings.WHATSAPP_GATEWAY_TOKEN,
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": "TindakLanjut/1.0",
        })
        try:
            with urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - scheme checked above
                body = response.read(8192)
        except HTTPError as exc:
            detail = exc.read(500).decode("utf-8", "replace")
            permanent = 400 <= exc.code < 500 and exc.code not in (408, 429)
            raise ChannelError(f"Gateway menjawab HTTP {exc.code}: {detail}", permanent=permanent) from exc
        except (URLError, TimeoutError, OSError) as exc:
            raise ChannelError(f"Gateway tidak dapat dihubungi: {exc}") from exc
        try:
            answer = json.loads(body or b"{}")
        except ValueError:
            return  # a plain-text 2xx is an acceptance
        if isinstance(answer, dict) and answer.get("status") is False:
            reason = str(answer.get("reason") or answer.get("message") or answer)
            raise ChannelError(f"Gateway menolak: {reason}",
                               permanent=any(word in reason.lower() for word in PERMANENT_REASONS))
