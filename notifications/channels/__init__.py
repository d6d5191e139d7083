"""Channels are plug-ins (healthchecks' transports): each has ``wants(user)`` and ``send(...)``.

``EXTERNAL`` channels get a Delivery row per notification; in-app needs none.
"""
from __future__ import annotations

from notifications.channels.base import Channel, ChannelError, Message
from notifications.channels.email import EmailChannel
from notifications.channels.in_app import InAppChannel
from notifications.channels.whatsapp import WhatsAppChannel

CHANNELS: dict[str, Channel] = {c.name: c for c in (EmailChannel(), WhatsAppChannel(), InAppChannel())}
EXTERNAL = ("email", "whatsapp")


def get_channel(name: str) -> Channel:
    return CHANNELS[name]


__all__ = ["CHANNELS", "EXTERNAL", "Channel", "ChannelError", "Message", "get_channel"]
