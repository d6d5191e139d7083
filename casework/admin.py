from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casework.models import (
    Activity,
    AgendaItem,
    Case,
    CaseEvent,
    Desa,
    FundingSource,
    IntermediateGoal,
    Kabupaten,
    Kecamatan,
    MainGoal,
    Meeting,
    MeetingDesa,
    Participant,
    Plan,
    Province,
)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Kabupaten)
class KabupatenAdmin(admin.ModelAdmin):
    list_display = ("name", "province", "code", "timezone")
    list_filter = ("province", "timezone")
    search_fields = ("name", "code")


@admin.register(Kecamatan)
class KecamatanAdmin(admin.ModelAdmin):
    list_display = ("name", "kabupaten", "code")
    list_filter = ("kabupaten",)
    search_fields = ("name", "code")
    autocomplete_fields = ("kabupaten",)


@admin.register(Desa)
class DesaAdmin(admin.ModelAdmin):
    list_display = ("name", "kecamatan", "code")
    list_filter = ("kecamatan__kabupaten", "kecamatan")
    search_fields = ("name", "code", "kecamatan__name")
    autocomplete_fields = ("kecamatan",)


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    search_fields = ("name",)


class MainGoalInline(admin.StackedInline):
    model = MainGoal
    extra = 0
    fields = ("position", "statement", "target", "target_year")
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("desa", "period", "version", "created_at")
    list_filter = ("period", "desa__kecamatan__kabupaten", "desa__kecamatan")
    search_fields = ("desa__name", "period")
    autocomplete_fields = ("desa",)
    inlines = [MainGoalInline]
    readonly_fields = ("created_at", "created_by")


class IntermediateGoalInline(admin.TabularInline):
    model = IntermediateGoal
    extra = 0


class ActivityInline(admin.StackedInline):
    model = Activity
    extra = 0
    fields = ("position", "name", "description", "intermediate_goal", "funding_sources", "funding_note")
    filter_horizontal = ("funding_sources",)


@admin.register(MainGoal)
class MainGoalAdmin(admin.ModelAdmin):
    list_display = ("statement", "plan", "target_year")
    search_fields = ("statement", "plan__desa__name")
    list_filter = ("plan__desa__kecamatan__kabupaten",)
    inlines = [IntermediateGoalInline, ActivityInline]
    autocomplete_fields = ("plan",)


class MeetingDesaInline(admin.TabularInline):
    model = MeetingDesa
    extra = 0
    autocomplete_fields = ("desa",)
    readonly_fields = ("plan",)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    readonly_fields = ("case", "state_when_carried", "outcome", "note", "reviewed_by", "reviewed_at")
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("kecamatan", "date", "status", "place", "next_meeting_date")
    list_filter = ("status", "kecamatan__kabupaten", "kecamatan")
    search_fields = ("kecamatan__name", "place", "chair")
    date_hierarchy = "date"
    readonly_fields = ("status", "prepared_at", "finalised_at", "share_token", "version")
    inlines = [MeetingDesaInline, ParticipantInline, AgendaItemInline]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "kind", "action", "from_state", "to_state", "note")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """State and history are read-only here: they change only through the life-cycle services."""

    list_display = ("id", "desa", "kecamatan", "state", "opd", "due_date", "deadline_at", "created_at")
    list_filter = ("state", "kabupaten", "kecamatan", "opd", "support_from")
    search_fields = ("obstacle", "cause", "solution", "resolution", "desa__name")
    date_hierarchy = "created_at"
    list_select_related = ("desa", "kecamatan", "opd")
    readonly_fields = ("ref", "state", "version", "kabupaten", "kecamatan", "opd", "assignee", "due_date",
                       "acknowledged_at", "returned", "return_reason", "resolution", "resolved_by_text",
                       "deadline_at", "deadline_kind", "update_due_at", "overdue_escalated_at", "created_by",
                       "created_at", "updated_at", "state_changed_at", "last_progress_at", "escalation_count")
    raw_id_fields = ("desa", "meeting", "main_goal", "activity")
    inlines = [CaseEventInline]

    # Every change to a case must leave a history row, so the admin only views:
    # edits go through the case pages and casework.services.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    """The audit trail: visible to the admin, never editable or deletable."""

    list_display = ("at", "case", "actor", "kind", "from_state", "to_state")
    list_filter = ("kind", "to_state")
    search_fields = ("note", "case__obstacle")
    date_hierarchy = "at"
    list_select_related = ("case", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.empty_value_display = _("(kosong)")
