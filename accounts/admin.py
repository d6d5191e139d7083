from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


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
