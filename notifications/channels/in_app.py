"""In-app: the ledger row itself is the message, shown in the notification centre at once.

There is nothing to send, so no Delivery rows exist for it; it is listed here so
every channel the product has is in one package.
"""
from __future__ import annotations

from typing import Any

from django.db.models import Q

from django.utils.translation import gettext_lazy as _

from notifications.channels.base import Channel, Message


class InAppChannel(Channel):
    name = "in_app"
    label = _("Di aplikasi")
    parts = ()

    def wants(self, user: Any) -> bool:
        return True  # always on: the centre is where everything can be found again

    def recipients(self) -> Q:
        return Q()

    def send(self, *, recipient: Any, message: Message) -> None:
        return None
