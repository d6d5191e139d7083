"""Notification writes. The sweep and the delivery live in their own modules; this is the public face."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.delivery import deliver_due_notifications, plan_deliveries  # noqa: F401
from notifications.events import enqueue_delivery, record_case_event  # noqa: F401
from notifications.models import Notification
from notifications.phone import normalise_phone
from notifications.selectors import notifications_for
from notifications.sweep import sweep_reminders  # noqa: F401


def notification_mark_read(*, user: Any, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (idempotent). Someone else's is a 404."""
    from casework.scoping import get_in_scope_or_404

    notification = get_in_scope_or_404(notifications_for(user), pk=notification_id)
    if notification.read_at is None:
        # Conditional: a second tab marking it at the same time changes nothing.
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: Any) -> int:
    return notifications_for(user).filter(read_at=None).update(read_at=timezone.now())


@transaction.atomic
def user_update_notification_preferences(*, user: Any, phone: str, notify_email: bool,
                                         notify_whatsapp: bool) -> Any:
    """Save the user's phone and channel choices. In-app notifications are always on.

    Raises ValidationError with messages in Bahasa Indonesia (phone unreadable,
    WhatsApp chosen without a number, email chosen without an address).
    """
    errors: dict[str, str] = {}
    phone = (phone or "").strip()
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValueError as exc:
            errors["phone"] = str(exc)
    if notify_whatsapp and not phone and "phone" not in errors:
        errors["phone"] = _("Isi nomor WhatsApp/HP untuk menerima pemberitahuan lewat WhatsApp/SMS.")
    if notify_email and not user.email:
        errors["notify_email"] = _("Akun Anda belum memiliki alamat email; hubungi admin program.")
    if errors:
        raise ValidationError(errors)
    user.phone, user.notify_email, user.notify_whatsapp = phone, bool(notify_email), bool(notify_whatsapp)
    user.save(update_fields=["phone", "notify_email", "notify_whatsapp"])
    return user
