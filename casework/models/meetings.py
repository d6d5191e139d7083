"""Kecamatan coordination meetings (guide sections 3 and 4) and the review of carried-over cases."""
from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PREPARED = "prepared", _("Disiapkan")
    HELD = "held", _("Berlangsung")
    FINALISED = "finalised", _("Final")


def _share_token() -> str:
    return secrets.token_urlsafe(16)


class Meeting(FSMModelMixin, models.Model):
    kecamatan = models.ForeignKey("casework.Kecamatan", verbose_name=_("kecamatan"), on_delete=models.PROTECT,
                                  related_name="meetings")
    date = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    chair = models.CharField(_("pimpinan pertemuan"), max_length=200, blank=True)
    status = FSMField(_("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT,
                      protected=True)
    next_meeting_date = models.DateField(_("tanggal pertemuan berikutnya"), null=True, blank=True)
    previous = models.ForeignKey("self", verbose_name=_("pertemuan sebelumnya"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField(_("catatan"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    share_token = models.CharField(max_length=40, default=_share_token, unique=True, editable=False)
    prepared_at = models.DateTimeField(null=True, blank=True, editable=False)
    finalised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pertemuan koordinasi kecamatan")
        verbose_name_plural = _("pertemuan koordinasi kecamatan")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kecamatan", "-date"], name="meeting_kec_date"),
                   # The newest meetings in scope (the case list's meeting filter, the admin's lists).
                   models.Index(fields=["-date"], name="meeting_newest")]

    def __str__(self) -> str:
        return f"{self.kecamatan} · {self.date:%d-%m-%Y}"

    # Transitions change status only; services in casework.services.meetings do the work around them.
    @transition(field=status, source=MeetingStatus.DRAFT, target=MeetingStatus.PREPARED)
    def mark_prepared(self) -> None:
        pass

    @transition(field=status, source=[MeetingStatus.PREPARED], target=MeetingStatus.HELD)
    def mark_held(self) -> None:
        pass

    @transition(field=status, source=[MeetingStatus.PREPARED, MeetingStatus.HELD], target=MeetingStatus.FINALISED)
    def mark_finalised(self) -> None:
        pass

    mark_prepared.alters_data = True
    mark_held.alters_data = True
    mark_finalised.alters_data = True

    @property
    def is_open_for_recording(self) -> bool:
        return self.status in (MeetingStatus.PREPARED, MeetingStatus.HELD)


class MeetingDesa(models.Model):
    """A desa taking part, in the order it will be discussed, with the plan its sheet is laid out from."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="desa_entries")
    desa = models.ForeignKey("casework.Desa", verbose_name=_("desa"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("urutan pembahasan"), default=0)
    plan = models.ForeignKey("casework.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    representative = models.CharField(_("perwakilan desa"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("desa peserta")
        verbose_name_plural = _("desa peserta")
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "desa"], name="meeting_desa_once")]

    def __str__(self) -> str:
        return f"{self.position}. {self.desa}"


class ParticipantKind(models.TextChoices):
    DESA = "desa", _("Perwakilan desa")
    KECAMATAN = "kecamatan", _("Pemerintah kecamatan")
    OPD = "opd", _("Tamu OPD")
    FACILITATOR = "facilitator", _("Fasilitator/pendamping")
    OTHER = "other", _("Lainnya")


class Participant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("unsur"), max_length=16, choices=ParticipantKind.choices, default=ParticipantKind.DESA)
    organisation = models.CharField(_("instansi/desa"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        ordering = ["meeting", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class ReviewOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Dikonfirmasi selesai")
    STILL_OPEN = "still_open", _("Masih berjalan")
    REOPENED = "reopened", _("Dibuka kembali")
    RE_ESCALATED = "re_escalated", _("Dieskalasi ulang")


class AgendaItem(models.Model):
    """A case carried over to a meeting for review (the guide's note on follow-up review)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    state_when_carried = models.CharField(max_length=16)
    outcome = models.CharField(_("hasil peninjauan"), max_length=16, choices=ReviewOutcome.choices, blank=True)
    note = models.TextField(_("catatan peninjauan"), blank=True)
    reviewed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kasus yang ditinjau")
        verbose_name_plural = _("kasus yang ditinjau")
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once")]
