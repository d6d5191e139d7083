from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from escalation.models import OPD, DashboardSnapshot, DeadlinePolicy, Holiday, PolicyChange, Rakor


@admin.register(OPD)
class OPDAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "kabupaten", "sector", "active")
    list_filter = ("kabupaten", "sector", "active")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("kabupaten",)


class DeadlinePolicyAdminForm(forms.ModelForm):
    class Meta:
        model = DeadlinePolicy
        fields = "__all__"

    def clean(self):
        data = super().clean()
        start, end = data.get("working_hours_start"), data.get("working_hours_end")
        if start is not None and end is not None and start >= end:
            self.add_error("working_hours_end", _("Jam kerja selesai harus setelah jam mulai."))
        return data


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    form = DeadlinePolicyAdminForm
    list_display = ("kabupaten", "raised_days", "escalated_working_days", "acknowledge_working_days",
                    "update_interval_days", "default_due_days", "updated_at")
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        # Through the service, so an admin edit is audited and recomputes deadlines like the page does.
        from escalation.services import POLICY_FIELDS, policy_update

        if change and obj.pk:
            policy_update(user=request.user, kabupaten_id=obj.kabupaten_id,
                          values={name: getattr(obj, name) for name in POLICY_FIELDS})
            return
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kabupaten")
    list_filter = ("kabupaten",)
    search_fields = ("name",)
    date_hierarchy = "date"


@admin.register(Rakor)
class RakorAdmin(admin.ModelAdmin):
    list_display = ("date", "kabupaten", "created_by")
    list_filter = ("kabupaten",)
    date_hierarchy = "date"
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PolicyChange)
class PolicyChangeAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by escalation.services.policy_update and never edited."""

    list_display = ("changed_at", "kabupaten", "changed_by")
    list_filter = ("kabupaten",)
    readonly_fields = ("kabupaten", "changed_by", "changed_at", "old_values", "new_values")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DashboardSnapshot)
class DashboardSnapshotAdmin(admin.ModelAdmin):
    """Read-only; deleting the row makes the next page view (or `refresh_dashboard`) recompute it."""

    list_display = ("key", "computed_at", "duration_ms")
    readonly_fields = ("key", "computed_at", "duration_ms", "data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
