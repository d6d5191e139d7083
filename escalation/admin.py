from django.contrib import admin

from escalation.models import OPD, DeadlinePolicy, Holiday


@admin.register(OPD)
class OPDAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "kabupaten", "sector", "active")
    list_filter = ("kabupaten", "sector", "active")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("kabupaten",)


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ("kabupaten", "raised_days", "escalated_working_days", "acknowledge_working_days",
                    "update_interval_days", "default_due_days", "updated_at")
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kabupaten")
    list_filter = ("kabupaten",)
    search_fields = ("name",)
    date_hierarchy = "date"
