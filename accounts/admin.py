from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.models import RoleChange, User


class ReadOnlyAdminMixin:
    """Audit rows are shown, never added, changed or deleted (a POST to their admin URLs is 403)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RoleChange
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ("at", "changed_by", "old_role", "new_role", "old_scope", "new_scope")
    readonly_fields = fields
    verbose_name_plural = _("Riwayat perubahan peran dan wilayah")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "kecamatan", "opd", "kabupaten", "is_active", "last_login")
    list_filter = ("role", "is_active", "kabupaten", "opd__kabupaten")
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    autocomplete_fields = ("kecamatan", "opd", "kabupaten")
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Peran dan wilayah"), {"fields": ("role", "kecamatan", "opd", "kabupaten")}),
        (_("Notifikasi"), {"fields": ("phone", "notify_email", "notify_whatsapp")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Peran dan wilayah"), {"fields": ("role", "kecamatan", "opd", "kabupaten", "email", "phone")}),
    )
    inlines = [RoleChangeInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a user being added has no history yet

    def save_model(self, request, obj, form, change):
        # The audit receivers record the change; this tells them which admin made it.
        audit.set_actor(obj, request.user)
        super().save_model(request, obj, form, change)


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who changed whose role or scope, and when. Visible to the admin, never editable or deletable."""

    list_display = ("at", "user", "old_role", "new_role", "changed_by")
    list_filter = ("new_role", "old_role")
    search_fields = ("user__username", "changed_by__username")
    date_hierarchy = "at"
    list_select_related = ("user", "changed_by")
    fields = ("at", "user", "changed_by", "old_role", "new_role", "old_scope", "new_scope")
    readonly_fields = fields
