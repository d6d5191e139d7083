"""Forms of the escalation pages. Labels in Bahasa Indonesia; services do the real checks."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from escalation.models import DeadlinePolicy
from escalation.services import POLICY_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AssignFieldsMixin(forms.Form):
    """OPD, optional officer and due date, limited to one kabupaten's agencies."""

    opd = forms.ModelChoiceField(label=_("OPD"), queryset=None, empty_label=_("— pilih OPD —"))
    assignee = forms.ModelChoiceField(label=_("Petugas (opsional)"), queryset=None, required=False,
                                      empty_label=_("— siapa saja di OPD itu —"))
    due_date = forms.DateField(label=_("Batas waktu penyelesaian"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Catatan untuk OPD"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, opds=None, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = opds
        self.fields["assignee"].queryset = officers
        self.fields["assignee"].label_from_instance = (
            lambda u: f"{u.opd.short_name} · {u.get_full_name() or u.username}")

    def clean(self):
        data = super().clean()
        opd, assignee = data.get("opd"), data.get("assignee")
        if opd and assignee and assignee.opd_id != opd.pk:
            self.add_error("assignee", _("Petugas yang dipilih bukan dari OPD tersebut."))
        return data


class AssignForm(AssignFieldsMixin, VersionedForm):
    pass


class BulkAssignForm(AssignFieldsMixin):
    cases = forms.TypedMultipleChoiceField(label=_("Kasus"), coerce=int, choices=(),
                                           error_messages={"required": _("Pilih minimal satu kasus.")})

    def __init__(self, *args, case_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]

    def versions(self, data) -> list[tuple[int, int | None]]:
        """(case id, version the user saw) for each selected case, from the hidden ``version_<id>`` inputs."""
        result = []
        for pk in self.cleaned_data.get("cases", []):
            raw = data.get(f"version_{pk}")
            result.append((pk, int(raw) if raw and str(raw).isdigit() else None))
        return result


class NoteForm(VersionedForm):
    """A step that needs a reason or a description (send back, resolve, return)."""

    note = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Wajib diisi.")})

    def __init__(self, *args, note_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if note_label:
            self.fields["note"].label = note_label


class AcknowledgeForm(VersionedForm):
    note = forms.CharField(label=_("Catatan (opsional)"), required=False, widget=forms.TextInput)


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("Perkembangan"), widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Wajib diisi.")})


class PolicyForm(forms.ModelForm):
    class Meta:
        model = DeadlinePolicy
        fields = list(POLICY_FIELDS)
        help_texts = {
            "raised_days": _("Kasus baru harus diputuskan kecamatan (eskalasi, selesai, atau ditarik) paling "
                             "lambat pada pertemuan berikutnya atau dalam sekian hari."),
            "escalated_working_days": _("LAPOR!-SP4N: diverifikasi dan diteruskan dalam 3–5 hari kerja."),
            "acknowledge_working_days": _("OPD menyatakan menerima kasus dalam sekian hari kerja."),
            "default_due_days": _("Ditawarkan sebagai batas waktu saat menugaskan kasus."),
            "working_hours_start": _("Jam lokal (0–23); pengingat hanya dikirim pada jam kerja."),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("working_hours_start"), data.get("working_hours_end")
        if start is not None and end is not None and start >= end:
            self.add_error("working_hours_end", _("Jam kerja selesai harus setelah jam mulai."))
        return data


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=DATE_INPUT)
    name = forms.CharField(label=_("Nama hari libur"), max_length=200)
    national = forms.BooleanField(label=_("Libur nasional/cuti bersama (berlaku untuk semua kabupaten)"),
                                  required=False)


class RakorForm(forms.Form):
    date = forms.DateField(label=_("Tanggal Rakor"), widget=DATE_INPUT)
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
