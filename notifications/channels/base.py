"""The channel plug-in interface: ``send`` raises ``ChannelError(message, permanent=...)`` on failure."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import Q


class ChannelError(Exception):
    """A send failed. ``permanent`` (bad number, rejected token, unknown address) stops the retries."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class Message:
    """One message to one person: a single notification or a digest of several."""

    subject: str
    text: str
    html: str
    short: str  # WhatsApp/SMS text
    count: int = 1


class Channel:
    name: ClassVar[str]
    label: ClassVar[str]
    # The Message parts this channel sends; only those are rendered.
    parts: ClassVar[tuple[str, ...]] = ("subject", "text", "html", "short")

    def wants(self, user: Any) -> bool:
        """Does this user want (and can they receive) messages over this channel?"""
        raise NotImplementedError

    def recipients(self) -> Q:
        """``wants`` as a condition on users, so delivery planning is one INSERT … SELECT per channel."""
        raise NotImplementedError

    def send(self, *, recipient: Any, message: Message) -> None:
        raise NotImplementedError
