"""Forms of the case and meeting pages. They parse and type what the user sent; the services decide the rest."""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.case_selectors import DEFAULT_SORT, CaseFilters
from casework.models import CaseState, ParticipantKind, ReviewOutcome, SupportFrom
from casework.services.cases import ACTION_LABELS

SORT_CHOICES = [
    ("terbaru", _("Terbaru dicatat")),
    ("terlama", _("Terlama dicatat")),
    ("tenggat", _("Tenggat terdekat")),
    ("diubah", _("Terakhir diubah")),
    ("desa", _("Nama desa")),
    ("status", _("Status")),
]
STATE_CHOICES = [("", _("Semua status")), ("open", _("Semua yang masih terbuka")),
                 ("ended", _("Ditutup atau ditarik"))] + list(CaseState.choices)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATE_CHOICES, required=False)
    kabupaten = forms.TypedChoiceField(label=_("Kabupaten"), required=False, coerce=int, empty_value=None)
    kecamatan = forms.TypedChoiceField(label=_("Kecamatan"), required=False, coerce=int, empty_value=None)
    desa = forms.TypedChoiceField(label=_("Desa"), required=False, coerce=int, empty_value=None)
    opd = forms.TypedChoiceField(label=_("OPD"), required=False, coerce=int, empty_value=None)
    pertemuan = forms.TypedChoiceField(label=_("Pertemuan"), required=False, coerce=int, empty_value=None)
    terlambat = forms.BooleanField(label=_("Hanya yang melewati tenggat"), required=False)
    urut = forms.ChoiceField(label=_("Urutkan"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, kabupaten=(), kecamatan=(), desa=(), opd=(), meetings=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kabupaten"].choices = [("", _("Semua kabupaten"))] + [(k.pk, k.name) for k in kabupaten]
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan"))] + [(k.pk, k.name) for k in kecamatan]
        self.fields["desa"].choices = [("", _("Semua desa"))] + [(d.pk, d.name) for d in desa]
        self.fields["opd"].choices = [("", _("Semua OPD"))] + [(o.pk, o.short_name) for o in opd]
        self.fields["pertemuan"].choices = [("", _("Semua pertemuan"))] + [
            (m.pk, f"{m.kecamatan.name} · {m.date:%d-%m-%Y}") for m in meetings]

    def filters(self) -> CaseFilters:
        """The filters to apply; an invalid value (e.g. a desa outside the user's scope) is ignored."""
        self.is_valid()  # invalid fields are simply left out of cleaned_data
        data = getattr(self, "cleaned_data", {})
        return CaseFilters(
            state=data.get("status") or "", kabupaten_id=data.get("kabupaten"), desa_id=data.get("desa"),
            kecamatan_id=data.get("kecamatan"),
            opd_id=data.get("opd"), meeting_id=data.get("pertemuan"), overdue=bool(data.get("terlambat")),
            q=(data.get("q") or "").strip(), sort=data.get("urut") or DEFAULT_SORT,
        )


NOTE_LABELS = {
    "escalate": _("Dukungan yang diminta dari kabupaten"),
    "resolve_locally": _("Bagaimana kendala ini diselesaikan"),
    "withdraw": _("Alasan penarikan"),
    "send_back": _("Alasan pengembalian ke kecamatan"),
    "assign": _("Catatan untuk OPD (tidak wajib)"),
    "return_case": _("Alasan: mengapa bukan wewenang OPD Anda"),
    "resolve": _("Apa yang telah dilakukan (penyelesaian)"),
    "confirm": _("Catatan konfirmasi (tidak wajib)"),
    "reopen": _("Alasan dibuka kembali"),
    "re_escalate": _("Mengapa dieskalasi ulang"),
}
# Steps that cannot be undone by the person taking them: the form asks before submitting.
CONFIRM_ACTIONS = {"withdraw", "confirm", "return_case", "resolve", "resolve_locally"}


class CaseActionForm(forms.Form):
    """One transition of a case. Fields beyond the note appear only for the step that needs them."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    resolved_by = forms.CharField(label=_("Diselesaikan oleh"), required=False, max_length=200,
                                  help_text=_("mis. Pemerintah Desa X, kelompok tani, kecamatan"))
    opd = forms.ModelChoiceField(label=_("OPD yang ditugaskan"), queryset=None, required=False)
    due_date = forms.DateField(label=_("Batas waktu penyelesaian"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))

    FIELDS_FOR = {"resolve_locally": ("resolved_by",), "assign": ("opd", "due_date")}

    def __init__(self, *args: Any, action: str, case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        from escalation.models import OPD

        self.action = action
        self.label = ACTION_LABELS[action]
        self.ask_confirm = action in CONFIRM_ACTIONS
        self.fields["note"].label = NOTE_LABELS.get(action, _("Catatan"))
        self.fields["opd"].queryset = OPD.objects.filter(kabupaten_id=case.kabupaten_id, active=True)
        for name in ("resolved_by", "opd", "due_date"):
            if name not in self.FIELDS_FOR.get(action, ()):
                del self.fields[name]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data.get(name) for name in self.FIELDS_FOR.get(self.action, ()) if name in self.fields}


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CaseEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    obstacle = forms.CharField(label=_("Kendala/tantangan dan pembelajaran"), widget=forms.Textarea(attrs={"rows": 3}),
                               required=False)
    cause = forms.CharField(label=_("Penyebab"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    solution = forms.CharField(label=_("Gagasan solusi & tindak lanjut"), widget=forms.Textarea(attrs={"rows": 3}),
                               required=False)
    support_needed = forms.CharField(label=_("Dukungan yang dibutuhkan"), widget=forms.Textarea(attrs={"rows": 2}),
                                     required=False)
    support_from = forms.ChoiceField(label=_("Dukungan dari"), choices=SupportFrom.choices)


class ObstacleForm(forms.Form):
    """An obstacle raised for one desa at the meeting (guide section 4, steps 3-8)."""

    target = forms.ChoiceField(label=_("Terkait tujuan atau kegiatan"), required=False)
    obstacle = forms.CharField(label=_("Kendala/tantangan yang dihadapi dan pembelajaran"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    cause = forms.CharField(label=_("Penyebab"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    solution = forms.CharField(label=_("Gagasan solusi & tindak lanjut (hasil diskusi)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    support_needed = forms.CharField(label=_("Dukungan yang dibutuhkan"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    support_from = forms.ChoiceField(label=_("Dukungan dari"), choices=SupportFrom.choices, initial=SupportFrom.DESA)

    def __init__(self, *args: Any, targets=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("Tidak terkait tujuan/kegiatan tertentu"))] + list(targets)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Hasil peninjauan"), widget=forms.RadioSelect, required=False)
    note = forms.CharField(label=_("Catatan peninjauan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, outcomes=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = outcomes if outcomes is not None else ReviewOutcome.values
        self.fields["outcome"].choices = [(v, label) for v, label in ReviewOutcome.choices if v in allowed]


class MeetingForm(forms.Form):
    kecamatan = forms.TypedChoiceField(label=_("Kecamatan"), coerce=int)
    date = forms.DateField(label=_("Tanggal pertemuan"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Tempat"), required=False, max_length=200)
    chair = forms.CharField(label=_("Pimpinan pertemuan"), required=False, max_length=200)
    next_meeting_date = forms.DateField(label=_("Tanggal pertemuan berikutnya"), required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))
    participants_desa = forms.CharField(
        label=_("Perwakilan desa"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu orang per baris: Nama, Desa"))
    participants_opd = forms.CharField(
        label=_("Tamu OPD"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Satu orang per baris: Nama, OPD"))
    participants_facilitator = forms.CharField(
        label=_("Fasilitator/pendamping"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Satu orang per baris: Nama, Lembaga"))

    PARTICIPANT_FIELDS = {
        "participants_desa": ParticipantKind.DESA,
        "participants_opd": ParticipantKind.OPD,
        "participants_facilitator": ParticipantKind.FACILITATOR,
    }

    def __init__(self, *args: Any, kecamatan_choices=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = list(kecamatan_choices)
        self.fields["kecamatan"].widget = forms.HiddenInput()  # chosen by the page's own GET selector

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("next_meeting_date") and data["next_meeting_date"] <= data["date"]:
            self.add_error("next_meeting_date", _("Pertemuan berikutnya harus setelah tanggal pertemuan ini."))
        return data

    def participants(self) -> list[dict[str, str]]:
        rows = []
        for name, kind in self.PARTICIPANT_FIELDS.items():
            for line in (self.cleaned_data.get(name) or "").splitlines():
                person, _sep, organisation = line.partition(",")
                if person.strip():
                    rows.append({"name": person.strip()[:200], "kind": kind,
                                 "organisation": organisation.strip()[:200]})
        return rows


def desa_order_from_post(data, desa_list) -> tuple[list[int], dict[int, str]]:
    """Read the "urutan_<desa id>" number inputs: desa with a number take part, sorted by that number.

    Returns the ordered ids and the raw values to re-render the form with.
    """
    raw: dict[int, str] = {}
    numbered: list[tuple[int, str, int]] = []
    for desa in desa_list:
        value = (data.get(f"urutan_{desa.pk}") or "").strip()
        raw[desa.pk] = value
        if value:
            try:
                numbered.append((int(value), desa.name, desa.pk))
            except ValueError:
                continue
    numbered.sort()
    return [pk for _n, _name, pk in numbered], raw
