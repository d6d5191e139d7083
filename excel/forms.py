"""Upload and export forms. Choices come from casework.scoping, so only the user's own area is offered."""
from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.scoping import desa_for, kecamatan_for
from excel import conf


class XlsxField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Berkas Excel (.xlsx)"))
        kwargs.setdefault("help_text", _("Hanya .xlsx, paling besar %(mb)s MB.") % {
            "mb": f"{conf.upload_max_bytes() / 1048576:.0f}"})
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})

    def clean(self, data, initial=None):
        f = super().clean(data, initial)
        if f is None:
            return f
        if f.size == 0:
            raise forms.ValidationError(_("Berkas kosong (0 bita). Pilih berkas Excel yang berisi data."))
        if f.size > conf.upload_max_bytes():
            raise forms.ValidationError(_("Berkas terlalu besar (paling besar %(mb)s MB).")
                                        % {"mb": f"{conf.upload_max_bytes() / 1048576:.0f}"})
        return f


class PlanUploadForm(forms.Form):
    desa = forms.ModelChoiceField(label=_("Desa"), queryset=None, empty_label=_("— pilih desa —"))
    period = forms.CharField(label=_("Periode"), max_length=20, help_text=_("Tahun (2024) atau rentang (2024-2026)."))
    file = XlsxField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].queryset = desa_for(user).order_by("kecamatan__name", "name")
        self.fields["desa"].label_from_instance = lambda d: f"{d.name} ({d.kecamatan.name})"

    def clean_period(self):
        period = self.cleaned_data["period"].strip()
        if not re.fullmatch(r"20\d{2}(?:\s*[-–/]\s*20\d{2})?", period):
            raise forms.ValidationError(_("Tulis tahun (2024) atau rentang tahun (2024-2026)."))
        return re.sub(r"\s*[-–/]\s*", "-", period)


class MeetingUploadForm(forms.Form):
    file = XlsxField()


class RegisterExportForm(forms.Form):
    kecamatan = forms.ModelChoiceField(label=_("Kecamatan"), queryset=None, required=False,
                                       empty_label=_("Semua kecamatan dalam wilayah saya"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = kecamatan_for(user).order_by("kabupaten__name", "name")
