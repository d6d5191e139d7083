"""Email through Django's email backend: a text body and an HTML alternative, in Bahasa Indonesia."""
from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.channels.base import Channel, ChannelError, Message


class EmailChannel(Channel):
    name = "email"
    label = _("Email")
    parts = ("subject", "text", "html")

    def wants(self, user: Any) -> bool:
        return bool(user.is_active and user.notify_email and user.email)

    def recipients(self) -> Q:
        return Q(is_active=True, notify_email=True) & ~Q(email="")

    def send(self, *, recipient: Any, message: Message) -> None:
        mail = EmailMultiAlternatives(
            subject=message.subject, body=message.text, from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email], headers={"Auto-Submitted": "auto-generated"},
        )
        mail.attach_alternative(message.html, "text/html")
        try:
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _msg in exc.recipients.values()]
            raise ChannelError(f"Alamat ditolak server email: {exc.recipients}",
                               permanent=all(code >= 500 for code in codes)) from exc
        except smtplib.SMTPResponseException as exc:
            # 5xx: the server refuses for good (bad address, rejected login); 4xx: try again later.
            raise ChannelError(f"Server email menjawab {exc.smtp_code}: {exc.smtp_error!r}",
                               permanent=exc.smtp_code >= 500) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"Server email tidak dapat dihubungi: {exc}") from exc
