"""Escalation writes that are not single-case transitions.

Single-case steps (assign, send back, acknowledge, resolve, return) go through
``casework.services.cases``; what lives here either wraps several of them in one
transaction (bulk assignment) or changes what deadlines are computed from (the
policy, holidays) and therefore enqueues a recompute after commit.
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from casework.models import OPEN_STATES, Case, Kabupaten
from casework.scoping import get_in_scope_or_404, kabupaten_for
from casework.services.cases import case_transition
from casework.services.errors import CaseError, ValidationFailed
from escalation.models import OPD, DeadlinePolicy, Holiday, PolicyChange, Rakor
from escalation.policy import policy_for, refresh_case_deadline

logger = logging.getLogger(__name__)

# The policy fields a Pokja chair or the admin may edit (the page's form and the audit row use this list).
POLICY_FIELDS = (
    "raised_days", "escalated_working_days", "acknowledge_working_days", "update_interval_days",
    "default_due_days", "remind_before_days", "overdue_repeat_days", "overdue_escalate_days",
    "meeting_reminder_days", "working_hours_start", "working_hours_end",
)


class BulkAssignFailed(CaseError):
    """At least one case of a bulk assignment was refused; none was assigned."""

    def __init__(self, message: Any, *, failures: list[tuple[int, str]]) -> None:
        super().__init__(message)
        self.failures = failures


def recompute_kabupaten_deadlines(*, kabupaten_id: int, batch_size: int = 500) -> int:
    """Refresh every open case's stored deadline in one kabupaten, in batches (idempotent). Returns the count."""
    fields = ["deadline_at", "deadline_kind", "update_due_at"]
    qs = Case.objects.filter(kabupaten_id=kabupaten_id, state__in=OPEN_STATES).select_related("kabupaten")
    changed = 0
    batch: list[Case] = []
    for case in qs.iterator(chunk_size=batch_size):
        before = tuple(getattr(case, f) for f in fields)
        refresh_case_deadline(case)
        if tuple(getattr(case, f) for f in fields) != before:
            batch.append(case)
        if len(batch) >= batch_size:
            with transaction.atomic():
                Case.objects.bulk_update(batch, fields)
            changed += len(batch)
            batch = []
    if batch:
        with transaction.atomic():
            Case.objects.bulk_update(batch, fields)
        changed += len(batch)
    return changed


def _enqueue_recompute(kabupaten_ids: list[int]) -> None:
    """After commit, ask the worker to recompute stored deadlines; nothing is sent if the transaction rolls back."""
    from escalation.tasks import recompute_deadlines

    def send() -> None:
        for kab_id in kabupaten_ids:
            try:
                recompute_deadlines.delay(kab_id)
            except Exception:  # noqa: BLE001 - the change is committed; a broker outage must not turn it into a 500
                logger.exception("could not enqueue recompute_deadlines for kabupaten %s", kab_id)

    transaction.on_commit(send)


def _pokja_kabupaten(user: Any, kabupaten_id: int) -> Kabupaten:
    """The kabupaten, if this user is its Pokja or the programme admin; 404 outside scope, refusal for other roles."""
    kabupaten = get_in_scope_or_404(kabupaten_for(user), pk=kabupaten_id)
    if not (user.is_programme_admin or user.role == "pokja"):
        raise CaseError(_("Hanya Pokja kabupaten atau admin program yang dapat melakukan ini."))
    return kabupaten


# --- bulk assignment -----------------------------------------------------------------------------
def cases_bulk_assign(*, user: Any, items: list[tuple[int, int | None]], opd: OPD | int, due_date: date | None,
                      assignee: Any = None, note: str = "") -> list[Case]:
    """Assign several escalated cases to one OPD with one due date: all of them, or none.

    Each case goes through ``case_transition`` (scope, role, version and note
    checks, history row). A refused case does not stop the loop, so the user
    learns about every conflict at once; then the whole transaction is rolled
    back and ``BulkAssignFailed`` lists them.
    """
    if not items:
        raise ValidationFailed(_("Pilih minimal satu kasus untuk ditugaskan."), field_errors={"cases": _("Wajib dipilih.")})
    failures: list[tuple[int, str]] = []
    done: list[Case] = []
    with transaction.atomic():
        # Lock rows in id order so two bulk assignments over overlapping cases cannot deadlock.
        for case_id, version in sorted(set(items)):
            try:
                done.append(case_transition(user=user, case_id=case_id, action="assign", expected_version=version,
                                            note=note, opd=opd, due_date=due_date, assignee=assignee))
            except CaseError as exc:
                detail = "; ".join([exc.message, *exc.field_errors.values()]) if exc.field_errors else exc.message
                failures.append((case_id, detail))
            except Http404:
                failures.append((case_id, _("Kasus tidak ditemukan di wilayah Anda.")))
        if failures:
            raise BulkAssignFailed(
                _("Tidak ada kasus yang ditugaskan: %(n)d dari %(total)d kasus ditolak. Periksa daftar di bawah, "
                  "lalu kirim ulang.") % {"n": len(failures), "total": len(set(items))},
                failures=failures,
            )
    return done


# --- deadline policy -----------------------------------------------------------------------------
def policy_values(policy: DeadlinePolicy) -> dict[str, int]:
    return {name: getattr(policy, name) for name in POLICY_FIELDS}


def policy_update(*, user: Any, kabupaten_id: int, values: dict[str, Any]) -> tuple[DeadlinePolicy, bool]:
    """Change a kabupaten's deadline policy; audit it and recompute open cases' deadlines after commit.

    Returns (policy, changed). Nothing is written when no value changed.
    """
    _pokja_kabupaten(user, kabupaten_id)
    with transaction.atomic():
        policy_for(kabupaten_id)
        policy = DeadlinePolicy.objects.select_for_update().select_related("kabupaten").get(kabupaten_id=kabupaten_id)
        old = policy_values(policy)
        for name in POLICY_FIELDS:
            if name in values and values[name] is not None:
                setattr(policy, name, values[name])
        try:
            policy.full_clean()
        except ValidationError as exc:
            raise ValidationFailed(_("Periksa kembali isian berikut."),
                                   field_errors={k: " ".join(v) for k, v in exc.message_dict.items()}) from exc
        if policy.working_hours_start >= policy.working_hours_end:
            raise ValidationFailed(_("Periksa kembali isian berikut."),
                                   field_errors={"working_hours_end": _("Jam kerja selesai harus setelah jam mulai.")})
        new = policy_values(policy)
        if new == old:
            return policy, False
        policy.updated_by = user
        policy.save()
        PolicyChange.objects.create(kabupaten_id=kabupaten_id, changed_by=user, old_values=old, new_values=new)
        _enqueue_recompute([kabupaten_id])
    return policy, True


# --- holidays ------------------------------------------------------------------------------------
def holiday_add(*, user: Any, kabupaten_id: int | None, day: date, name: str) -> Holiday:
    """Add a day off: local to a kabupaten (its Pokja or the admin), or national (admin only)."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Wajib diisi.")
    if not isinstance(day, date):
        errors["date"] = _("Wajib diisi.")
    if errors:
        raise ValidationFailed(_("Periksa kembali isian berikut."), field_errors=errors)
    if kabupaten_id is None:
        if not user.is_programme_admin:
            raise CaseError(_("Hanya admin program yang dapat mengubah libur nasional."))
        affected = list(Kabupaten.objects.values_list("pk", flat=True))
    else:
        _pokja_kabupaten(user, kabupaten_id)
        affected = [kabupaten_id]
    clash = Holiday.objects.filter(date=day, kabupaten_id=kabupaten_id).exists() or (
        kabupaten_id is not None and Holiday.objects.filter(date=day, kabupaten__isnull=True).exists())
    if clash:
        raise ValidationFailed(_("Tanggal ini sudah tercatat sebagai hari libur."),
                               field_errors={"date": _("Sudah ada hari libur pada tanggal ini.")})
    try:
        with transaction.atomic():
            holiday = Holiday.objects.create(date=day, name=name[:200], kabupaten_id=kabupaten_id)
            _enqueue_recompute(affected)
    except IntegrityError as exc:  # a concurrent insert of the same day won the race
        raise ValidationFailed(_("Tanggal ini sudah tercatat sebagai hari libur."),
                               field_errors={"date": _("Sudah ada hari libur pada tanggal ini.")}) from exc
    return holiday


def holiday_remove(*, user: Any, holiday_id: int) -> None:
    """Remove a day off. National ones only by the admin; local ones by that kabupaten's Pokja or the admin."""
    with transaction.atomic():
        holiday = Holiday.objects.select_for_update().filter(pk=holiday_id).first()
        if holiday is None:
            raise Http404
        if holiday.kabupaten_id is None:
            if not user.is_programme_admin:
                raise CaseError(_("Hanya admin program yang dapat mengubah libur nasional."))
            affected = list(Kabupaten.objects.values_list("pk", flat=True))
        else:
            _pokja_kabupaten(user, holiday.kabupaten_id)
            affected = [holiday.kabupaten_id]
        holiday.delete()
        _enqueue_recompute(affected)


def holidays_load(*, year: int, categories: tuple[str, ...] | None = None) -> tuple[int, int]:
    """Load Indonesia's national holidays and *cuti bersama* for ``year`` from the ``holidays`` library.

    Idempotent: one national row per date; a second run creates nothing and only
    renames a day whose name changed. Returns (created, updated).
    """
    import holidays as holidays_lib
    from holidays.countries import Indonesia

    # "public" are the national holidays, "government" the joint leave days (cuti bersama).
    wanted = categories or tuple(c for c in ("public", "government") if c in Indonesia.supported_categories)
    calendar = holidays_lib.country_holidays("ID", years=year, categories=wanted, language="id")
    created = updated = 0
    with transaction.atomic():
        existing = {h.date: h for h in Holiday.objects.select_for_update().filter(
            kabupaten__isnull=True, date__year=year)}
        for day, name in sorted(calendar.items()):
            name = name[:200]
            row = existing.get(day)
            if row is None:
                Holiday.objects.create(date=day, name=name, kabupaten=None)
                created += 1
            elif row.name != name:
                row.name = name
                row.save(update_fields=["name"])
                updated += 1
    return created, updated


# --- Rakor ---------------------------------------------------------------------------------------
def rakor_record(*, user: Any, kabupaten_id: int, day: date, notes: str = "") -> Rakor:
    """Record the date of a Pokja coordination meeting (Rakor) of the kabupaten."""
    _pokja_kabupaten(user, kabupaten_id)
    if not isinstance(day, date):
        raise ValidationFailed(_("Periksa kembali isian berikut."), field_errors={"date": _("Wajib diisi.")})
    if Rakor.objects.filter(kabupaten_id=kabupaten_id, date=day).exists():
        raise ValidationFailed(_("Rakor pada tanggal ini sudah tercatat."),
                               field_errors={"date": _("Sudah tercatat.")})
    try:
        with transaction.atomic():
            return Rakor.objects.create(kabupaten_id=kabupaten_id, date=day, notes=(notes or "").strip(),
                                        created_by=user)
    except IntegrityError as exc:
        raise ValidationFailed(_("Rakor pada tanggal ini sudah tercatat."),
                               field_errors={"date": _("Sudah tercatat.")}) from exc
