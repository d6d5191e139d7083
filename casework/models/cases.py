"""The obstacle case and its append-only history.

The state field is protected: it only moves through the transitions below,
called by ``casework.services.cases`` which checks role and scope, validates
the note each step needs, bumps the version (optimistic concurrency), refreshes
the stored deadline and writes the history row in the same transaction.
"""
from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from casework import rules


class CaseState(models.TextChoices):
    RAISED = "raised", _("Diangkat")
    ESCALATED = "escalated", _("Dieskalasi")
    ASSIGNED = "assigned", _("Ditugaskan")
    RESOLVED = "resolved", _("Terselesaikan")
    CLOSED = "closed", _("Ditutup")
    WITHDRAWN = "withdrawn", _("Ditarik")


OPEN_STATES = (CaseState.RAISED, CaseState.ESCALATED, CaseState.ASSIGNED, CaseState.RESOLVED)
ENDED_STATES = (CaseState.CLOSED, CaseState.WITHDRAWN)


class SupportFrom(models.TextChoices):
    DESA = "desa", _("Desa sendiri")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KABUPATEN = "kabupaten", _("Kabupaten/OPD")


class DeadlineKind(models.TextChoices):
    DECIDE = "decide", _("Diputuskan kecamatan")
    ASSIGN = "assign", _("Ditugaskan Pokja")
    ACKNOWLEDGE = "acknowledge", _("Diterima OPD")
    RESOLVE = "resolve", _("Diselesaikan OPD")
    CONFIRM = "confirm", _("Dikonfirmasi di pertemuan")


def _perm(action: str):
    def check(instance: "Case", user) -> bool:
        return rules.can_act(user, instance, action)

    return check


class Case(FSMModelMixin, models.Model):
    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Denormalised region ids: every list is scoped by one of them, so each gets an index.
    kabupaten = models.ForeignKey("casework.Kabupaten", on_delete=models.PROTECT, related_name="+", editable=False)
    kecamatan = models.ForeignKey("casework.Kecamatan", on_delete=models.PROTECT, related_name="cases", editable=False)
    desa = models.ForeignKey("casework.Desa", verbose_name=_("desa"), on_delete=models.PROTECT, related_name="cases")
    meeting = models.ForeignKey("casework.Meeting", verbose_name=_("diangkat di pertemuan"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="raised_cases")
    main_goal = models.ForeignKey("casework.MainGoal", verbose_name=_("tujuan"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="cases")
    activity = models.ForeignKey("casework.Activity", verbose_name=_("kegiatan"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="cases")

    obstacle = models.TextField(_("kendala/tantangan dan pembelajaran"))
    cause = models.TextField(_("penyebab"), blank=True)
    solution = models.TextField(_("gagasan solusi & tindak lanjut"), blank=True)
    support_needed = models.TextField(_("dukungan yang dibutuhkan"), blank=True)
    support_from = models.CharField(_("dukungan dari"), max_length=16, choices=SupportFrom.choices,
                                    default=SupportFrom.DESA)

    state = FSMField(_("status"), max_length=16, choices=CaseState.choices, default=CaseState.RAISED, protected=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    opd = models.ForeignKey("escalation.OPD", verbose_name=_("OPD"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="cases")
    assignee = models.ForeignKey("accounts.User", verbose_name=_("petugas"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="assigned_cases")
    due_date = models.DateField(_("batas waktu penyelesaian"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("diterima OPD"), null=True, blank=True)
    returned = models.BooleanField(_("dikembalikan OPD"), default=False)
    return_reason = models.TextField(_("alasan pengembalian"), blank=True)
    escalation_count = models.PositiveIntegerField(_("jumlah eskalasi"), default=0, editable=False)
    resolution = models.TextField(_("penyelesaian"), blank=True)
    resolved_by_text = models.CharField(_("diselesaikan oleh"), max_length=200, blank=True)

    # Stored deadline, refreshed by every transition (escalation.deadlines), so
    # "overdue" is an indexed comparison, never a loop over cases in Python.
    deadline_at = models.DateTimeField(_("tenggat"), null=True, blank=True)
    deadline_kind = models.CharField(max_length=16, choices=DeadlineKind.choices, blank=True)
    update_due_at = models.DateTimeField(_("pembaruan berikutnya paling lambat"), null=True, blank=True)
    overdue_escalated_at = models.DateTimeField(_("keterlambatan dilaporkan ke Pokja"), null=True, blank=True)

    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    state_changed_at = models.DateTimeField(_("status berubah"), auto_now_add=True)
    last_progress_at = models.DateTimeField(_("pembaruan terakhir"), null=True, blank=True)

    class Meta:
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kabupaten", "state", "deadline_at"], name="case_kab_state_deadline"),
            models.Index(fields=["kecamatan", "state"], name="case_kec_state"),
            models.Index(fields=["opd", "state", "deadline_at"], name="case_opd_state_deadline"),
            models.Index(fields=["desa", "state"], name="case_desa_state"),
            # Open cases with a deadline: the overdue lists and the reminder sweep read this.
            models.Index(fields=["deadline_at"], name="case_open_deadline",
                         condition=Q(state__in=["raised", "escalated", "assigned", "resolved"])),
            models.Index(fields=["update_due_at"], name="case_update_due",
                         condition=Q(state="assigned")),
            # The list pages read a first page in one of their sort orders; these let PostgreSQL walk
            # the index in that order and stop after 50 rows, whatever the number of cases
            # (docs/performance.md). Open cases of a kabupaten by deadline (the Pokja's list):
            models.Index(F("kabupaten"), F("deadline_at").asc(), F("id").desc(),  # ASC puts NULLs last
                         name="case_kab_open_by_deadline",
                         condition=Q(state__in=["raised", "escalated", "assigned", "resolved"])),
            # Newest first, overall, per state, per kabupaten and per kecamatan (the default sort).
            models.Index(F("created_at").desc(), F("id").desc(), name="case_newest"),
            models.Index(F("state"), F("created_at").desc(), F("id").desc(), name="case_state_newest"),
            models.Index(F("kabupaten"), F("created_at").desc(), F("id").desc(), name="case_kab_newest"),
            models.Index(F("kecamatan"), F("created_at").desc(), F("id").desc(), name="case_kec_newest"),
            # The dashboard's oldest open cases: the oldest rows are mostly closed, so a walk of
            # case_newest from its end would read most of the table first.
            models.Index(F("created_at").asc(), F("id").asc(), name="case_open_oldest",
                         condition=Q(state__in=["raised", "escalated", "assigned", "resolved"])),
            # The national list filtered by state and overdue, and its (bounded) count.
            models.Index(fields=["state", "deadline_at"], name="case_state_deadline"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.obstacle[:60]}"

    @property
    def number(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, now=None) -> bool:
        from django.utils import timezone

        now = now or timezone.now()
        return bool(self.deadline_at and self.is_open and self.deadline_at <= now)

    def kabupaten_tz(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.kabupaten.timezone)

    def save(self, *args, **kwargs):
        if self.desa_id and not self.kecamatan_id:
            self.kecamatan_id = self.desa.kecamatan_id
        if self.kecamatan_id and not self.kabupaten_id:
            self.kabupaten_id = self.kecamatan.kabupaten_id
        super().save(*args, **kwargs)

    # --- transitions: state only; casework.services.cases does the rest ----------------------
    @transition(field=state, source=CaseState.RAISED, target=CaseState.ESCALATED, permission=_perm("escalate"))
    def escalate(self) -> None:
        pass

    @transition(field=state, source=CaseState.RAISED, target=CaseState.RESOLVED, permission=_perm("resolve_locally"))
    def resolve_locally(self) -> None:
        pass

    @transition(field=state, source=CaseState.RAISED, target=CaseState.WITHDRAWN, permission=_perm("withdraw"))
    def withdraw(self) -> None:
        pass

    @transition(field=state, source=CaseState.ESCALATED, target=CaseState.RAISED, permission=_perm("send_back"))
    def send_back(self) -> None:
        pass

    @transition(field=state, source=CaseState.ESCALATED, target=CaseState.ASSIGNED, permission=_perm("assign"))
    def assign(self) -> None:
        pass

    @transition(field=state, source=CaseState.ASSIGNED, target=CaseState.ESCALATED, permission=_perm("return_case"))
    def return_case(self) -> None:
        pass

    @transition(field=state, source=CaseState.ASSIGNED, target=CaseState.RESOLVED, permission=_perm("resolve"))
    def resolve(self) -> None:
        pass

    @transition(field=state, source=CaseState.RESOLVED, target=CaseState.CLOSED, permission=_perm("confirm"))
    def confirm(self) -> None:
        pass

    @transition(field=state, source=CaseState.RESOLVED, target=RETURN_VALUE(CaseState.RAISED, CaseState.ASSIGNED),
                permission=_perm("reopen"))
    def reopen(self) -> str:
        # Back to whoever must act: the OPD that held it, or the kecamatan.
        return CaseState.ASSIGNED if self.opd_id else CaseState.RAISED

    @transition(field=state, source=[CaseState.RAISED, CaseState.ASSIGNED, CaseState.RESOLVED],
                target=CaseState.ESCALATED, permission=_perm("re_escalate"))
    def re_escalate(self) -> None:
        pass

    for _name in ("escalate", "resolve_locally", "withdraw", "send_back", "assign", "return_case", "resolve",
                  "confirm", "reopen", "re_escalate"):
        locals()[_name].alters_data = True
    del _name


class EventKind(models.TextChoices):
    CREATED = "created", _("Dicatat")
    TRANSITION = "transition", _("Perubahan status")
    PROGRESS = "progress", _("Perkembangan")
    COMMENT = "comment", _("Komentar")
    ACKNOWLEDGED = "acknowledged", _("Diterima OPD")
    REVIEW = "review", _("Peninjauan di pertemuan")
    EDITED = "edited", _("Diubah")


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D401
        raise PermissionDenied(_("Riwayat kasus tidak dapat diubah."))

    def delete(self):
        raise PermissionDenied(_("Riwayat kasus tidak dapat dihapus."))


class CaseEvent(models.Model):
    """One line of a case's timeline. Append-only: never updated, never deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey("accounts.User", verbose_name=_("oleh"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=16, choices=EventKind.choices)
    action = models.CharField(_("aksi"), max_length=32, blank=True)
    from_state = models.CharField(_("dari"), max_length=16, blank=True)
    to_state = models.CharField(_("ke"), max_length=16, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    meeting = models.ForeignKey("casework.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("riwayat kasus")
        verbose_name_plural = _("riwayat kasus")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.from_state}→{self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionDenied(_("Riwayat kasus tidak dapat diubah."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("Riwayat kasus tidak dapat dihapus."))

    @property
    def state_label(self) -> str:
        return CaseState(self.to_state).label if self.to_state else ""
