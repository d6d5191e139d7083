"""The notification ledger.

A ``Notification`` row is written when something happens (a case event) or
becomes due (a reminder found by the sweep). Its unique key per recipient
("event:<id>", "reminder:<case>:<kind>:<deadline>[:<period>]", ...) makes the
write idempotent: two sweeps, a re-delivered task or beat firing twice all hit
the same key, so the second insert is ignored. The row itself *is* the in-app
message (read_at).

Sending happens later: each external channel the recipient wants gets a
``Delivery`` row, which a sender *claims* by a conditional update before
sending (see ``notifications.delivery``), so nothing goes out twice.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    # Case events (notifications.events)
    ESCALATED = "escalated", _("Kasus dieskalasi ke kabupaten")
    ASSIGNED = "assigned", _("Kasus ditugaskan ke OPD")
    RETURNED = "returned", _("Kasus dikembalikan OPD")
    SENT_BACK = "sent_back", _("Kasus dikembalikan ke kecamatan")
    RESOLVED = "resolved", _("Kasus diselesaikan OPD")
    REOPENED = "reopened", _("Kasus dibuka kembali")
    PROGRESS = "progress", _("Perkembangan baru")
    # Reminders (notifications.sweep)
    DEADLINE_SOON = "deadline_soon", _("Tenggat segera tiba")
    DEADLINE_PASSED = "deadline_passed", _("Tenggat terlewati")
    OVERDUE_REPEAT = "overdue_repeat", _("Masih terlambat")
    NO_UPDATE = "no_update", _("Belum ada pembaruan")
    OVERDUE_ESCALATION = "overdue_escalation", _("Keterlambatan dilaporkan ke Pokja")
    MEETING = "meeting", _("Pengingat pertemuan")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("penerima"), on_delete=models.CASCADE,
                                  related_name="notifications")
    key = models.CharField(_("kunci"), max_length=120,
                           help_text=_("Unik per penerima: peristiwa, kasus+jenis+tenggat, atau pertemuan+tanggal."))
    kind = models.CharField(_("jenis"), max_length=24, choices=NotificationKind.choices)
    case = models.ForeignKey("casework.Case", verbose_name=_("kasus"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="notifications")
    meeting = models.ForeignKey("casework.Meeting", verbose_name=_("pertemuan"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="notifications")
    # The deadline (or update-due moment) a reminder speaks about, and until when it speaks
    # for it: the sweep skips cases that already have a row covering "now" (NOT EXISTS).
    ref_at = models.DateTimeField(_("tenggat yang diingatkan"), null=True, blank=True)
    covers_until = models.DateTimeField(null=True, blank=True)
    period = models.PositiveIntegerField(_("periode"), default=0)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    send_after = models.DateTimeField(_("dikirim paling cepat"),
                                      help_text=_("Awal jam kerja setempat penerima; tidak pernah malam hari."))
    planned_at = models.DateTimeField(null=True, blank=True, editable=False)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_recipient_key"),
        ]
        indexes = [
            # The notification centre lists a user's rows newest first.
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created"),
            # The unread badge on every page (selectors.unread_count_for).
            models.Index(fields=["recipient"], condition=Q(read_at=None), name="notif_unread"),
            # The sweep's NOT EXISTS (case, kind, ref_at) checks (notifications.sweep).
            models.Index(fields=["case", "kind", "ref_at"], name="notif_case_kind_ref"),
            # delivery.plan_deliveries reads rows that have no Delivery rows yet.
            models.Index(fields=["id"], condition=Q(planned_at=None), name="notif_unplanned"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.get_kind_display()} · {self.key}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def details(self) -> dict:
        """The payload with dates as dates, for templates (see notifications.rendering)."""
        from notifications.rendering import payload_for_templates

        return payload_for_templates(self.payload)

    def target_url(self) -> str:
        from notifications.links import notification_target

        return notification_target(self)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")
    SKIPPED = "skipped", _("Dilewati")


class ChannelName(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp/SMS")


class Delivery(models.Model):
    """One notification over one external channel. Rows sent together share a claim token (one digest)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    # Denormalised so a recipient's due rows are grouped into one digest without a join.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("penerima"), on_delete=models.CASCADE,
                                  related_name="+")
    channel = models.CharField(_("saluran"), max_length=16, choices=ChannelName.choices)
    status = models.CharField(_("status"), max_length=16, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"))
    attempts = models.PositiveSmallIntegerField(_("jumlah percobaan"), default=0)
    claimed_at = models.DateTimeField(_("diambil pengirim"), null=True, blank=True)
    claim_token = models.UUIDField(_("token pengiriman"), null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    permanent_failure = models.BooleanField(_("gagal permanen"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [
            # The hot query of delivery.deliver_due_notifications: pending rows whose time has come.
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="delivery_pending_due"),
            models.Index(fields=["recipient", "channel"], condition=Q(status="pending"),
                         name="delivery_pending_recipient"),
            models.Index(fields=["claim_token"], name="delivery_claim_token"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} ({self.get_status_display()})"
