"""The user's own notification settings ("Pengaturan notifikasi")."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class NotificationPreferencesForm(forms.Form):
    phone = forms.CharField(label=_("Nomor WhatsApp/HP"), max_length=20, required=False,
                            help_text=_("Mis. 0812-3456-7890 atau +6281234567890"),
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    notify_email = forms.BooleanField(label=_("Kirim lewat email"), required=False)
    notify_whatsapp = forms.BooleanField(label=_("Kirim lewat WhatsApp/SMS"), required=False)
