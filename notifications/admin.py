"""Admin: the ledger and every delivery attempt, with failures easy to find and retry."""
from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import Delivery, DeliveryStatus, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("channel", "status", "attempts", "next_attempt_at", "sent_at", "permanent_failure", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "case", "meeting", "send_after", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("key", "recipient__username", "recipient__email")
    date_hierarchy = "created_at"
    list_select_related = ("recipient", "case", "meeting")
    raw_id_fields = ("recipient", "case", "meeting")
    readonly_fields = ("key", "kind", "ref_at", "covers_until", "period", "payload", "created_at", "planned_at")
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "channel", "status", "attempts", "sent_at", "permanent_failure",
                    "short_error")
    list_filter = ("status", "channel", "permanent_failure")
    search_fields = ("recipient__username", "notification__key", "last_error")
    list_select_related = ("recipient", "notification")
    raw_id_fields = ("notification", "recipient")
    readonly_fields = ("claim_token", "claimed_at", "sent_at", "attempts", "created_at")
    actions = ["retry_now"]

    @admin.display(description=_("galat terakhir"))
    def short_error(self, obj: Delivery) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Coba kirim ulang sekarang"))
    def retry_now(self, request, queryset):
        count = queryset.exclude(status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.PENDING, permanent_failure=False, claimed_at=None, claim_token=None,
            next_attempt_at=timezone.now(), attempts=0)
        self.message_user(request, _("%(n)d pengiriman dijadwalkan ulang.") % {"n": count}, messages.SUCCESS)
