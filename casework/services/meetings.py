"""Meeting writes: create, prepare (lay out sheets, carry over open cases), record, review, finalise."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import (
    ENDED_STATES,
    AgendaItem,
    Case,
    CaseEvent,
    CaseState,
    EventKind,
    Meeting,
    MeetingDesa,
    MeetingStatus,
    Participant,
    ReviewOutcome,
)
from casework.scoping import desa_for, get_in_scope_or_404, kecamatan_for, meetings_for
from casework.services.cases import _record, case_create, case_transition, version_matches
from casework.services.errors import CaseConflict, CaseError, ValidationFailed
from casework.signals import meeting_finalised


def _require_kecamatan_staff(user: Any, meeting_kecamatan_id: int) -> None:
    if user.is_superuser or user.role == "admin":
        return
    if user.role != "kecamatan" or user.kecamatan_id != meeting_kecamatan_id:
        raise CaseError(_("Hanya staf kecamatan ini yang dapat mengelola pertemuannya."))


def _lock_meeting(user: Any, meeting_id: int, expected_version: int | None = None) -> Meeting:
    meeting = get_in_scope_or_404(meetings_for(user).select_for_update(of=("self",)), pk=meeting_id)
    _require_kecamatan_staff(user, meeting.kecamatan_id)
    if expected_version is not None and not version_matches(expected_version, meeting.version):
        raise CaseConflict(_("Pertemuan ini telah diubah oleh orang lain sejak Anda membukanya. "
                             "Muat ulang halaman; isian Anda masih ada di formulir."), current=meeting)
    return meeting


@transaction.atomic
def meeting_create(*, user: Any, kecamatan_id: int, date: date, place: str = "", chair: str = "",
                   desa_ids: Iterable[int] = (), next_meeting_date: date | None = None,
                   participants: Iterable[dict] = ()) -> Meeting:
    kecamatan = get_in_scope_or_404(kecamatan_for(user), pk=kecamatan_id)
    _require_kecamatan_staff(user, kecamatan.pk)
    previous = (Meeting.objects.filter(kecamatan=kecamatan, date__lte=date).order_by("-date", "-id").first())
    meeting = Meeting.objects.create(kecamatan=kecamatan, date=date, place=place.strip(), chair=chair.strip(),
                                     next_meeting_date=next_meeting_date, previous=previous, created_by=user)
    _set_desa(meeting, user, list(desa_ids))
    for p in participants:
        if (p.get("name") or "").strip():
            Participant.objects.create(meeting=meeting, name=p["name"].strip(), kind=p.get("kind") or "desa",
                                       organisation=(p.get("organisation") or "").strip())
    return meeting


@transaction.atomic
def meeting_update_details(*, user: Any, meeting_id: int, expected_version: int | None, date: date, place: str = "",
                           chair: str = "", next_meeting_date: date | None = None,
                           participants: Iterable[dict] | None = None) -> Meeting:
    """Change the date, place, chair, next meeting date and (when given) the participant list of a meeting.

    A finalised meeting's record is closed and stays as it was.
    """
    meeting = _lock_meeting(user, meeting_id, expected_version)
    if meeting.status == MeetingStatus.FINALISED:
        raise CaseError(_("Pertemuan yang sudah final tidak dapat diubah."))
    if next_meeting_date and next_meeting_date <= date:
        raise ValidationFailed(_("Pertemuan berikutnya harus setelah tanggal pertemuan ini."),
                               field_errors={"next_meeting_date": _("Harus setelah tanggal pertemuan.")})
    meeting.date, meeting.place, meeting.chair = date, place.strip(), chair.strip()
    meeting.next_meeting_date = next_meeting_date
    if participants is not None:
        meeting.participants.all().delete()
        Participant.objects.bulk_create(
            Participant(meeting=meeting, name=p["name"].strip()[:200], kind=p.get("kind") or "desa",
                        organisation=(p.get("organisation") or "").strip()[:200])
            for p in participants if (p.get("name") or "").strip()
        )
    meeting.version += 1
    meeting.save()
    return meeting


def _set_desa(meeting: Meeting, user: Any, desa_ids: list[int]) -> None:
    if len(set(desa_ids)) != len(desa_ids):
        raise ValidationFailed(_("Satu desa hanya boleh muncul sekali dalam urutan pembahasan."))
    allowed = {d.pk: d for d in desa_for(user).filter(kecamatan_id=meeting.kecamatan_id, pk__in=desa_ids)}
    missing = [pk for pk in desa_ids if pk not in allowed]
    if missing:
        raise ValidationFailed(_("Ada desa yang bukan bagian dari kecamatan ini."))
    MeetingDesa.objects.filter(meeting=meeting).delete()
    MeetingDesa.objects.bulk_create(
        MeetingDesa(meeting=meeting, desa=allowed[pk], position=i + 1) for i, pk in enumerate(desa_ids)
    )


@transaction.atomic
def meeting_set_order(*, user: Any, meeting_id: int, desa_ids: list[int], expected_version: int | None) -> Meeting:
    meeting = _lock_meeting(user, meeting_id, expected_version)
    if meeting.status == MeetingStatus.FINALISED:
        raise CaseError(_("Pertemuan yang sudah final tidak dapat diubah."))
    _set_desa(meeting, user, desa_ids)
    if meeting.status != MeetingStatus.DRAFT:
        _lay_out_sheets(meeting)
    meeting.version += 1
    meeting.save(update_fields=["version"])
    return meeting


def _lay_out_sheets(meeting: Meeting) -> None:
    # One query for the plans of every participating desa (Desa.current_plan reads the prefetch).
    changed = []
    for entry in meeting.desa_entries.select_related("desa").prefetch_related("desa__plans"):
        plan = entry.desa.current_plan()
        if entry.plan_id != (plan.pk if plan else None):
            entry.plan = plan
            changed.append(entry)
    MeetingDesa.objects.bulk_update(changed, ["plan"])  # one UPDATE, not one per desa


def needing_follow_up(kecamatan_ids):
    """Cases of these kecamatan a meeting reviews again: everything not closed or withdrawn.

    The reminder sweep counts what several draft meetings will carry with one grouped query over this.
    """
    return Case.objects.filter(kecamatan_id__in=list(kecamatan_ids)).exclude(state__in=ENDED_STATES)


def carried_over_cases(meeting: Meeting):
    """Cases of the kecamatan still needing follow-up, less those raised at this meeting."""
    return needing_follow_up([meeting.kecamatan_id]).exclude(meeting=meeting)


@transaction.atomic
def meeting_prepare(*, user: Any, meeting_id: int, expected_version: int | None = None) -> Meeting:
    """Lay out each desa's sheet from its current plan and put every open case on the agenda (the review rule)."""
    meeting = _lock_meeting(user, meeting_id, expected_version)
    if meeting.status != MeetingStatus.DRAFT:
        raise CaseError(_("Pertemuan ini sudah disiapkan."))
    if not meeting.desa_entries.exists():
        raise ValidationFailed(_("Pilih minimal satu desa peserta sebelum menyiapkan pertemuan."))
    _lay_out_sheets(meeting)
    order = {e.desa_id: e.position for e in meeting.desa_entries.all()}
    cases = list(carried_over_cases(meeting).order_by("created_at", "id").values_list("pk", "desa_id", "state"))
    # Grouped by desa in discussion order; desa not discussed this time come last.
    cases.sort(key=lambda row: (order.get(row[1], 10_000), row[1]))
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, case_id=pk, position=i + 1, state_when_carried=state)
         for i, (pk, _desa, state) in enumerate(cases)],
        ignore_conflicts=True,
    )
    meeting.mark_prepared()
    meeting.prepared_at = timezone.now()
    meeting.version += 1
    meeting.save()
    return meeting


def meeting_record_obstacle(*, user: Any, meeting_id: int, desa_id: int, **fields: Any) -> Case:
    """Record an obstacle raised for a desa at this meeting: it becomes a case in state ``raised``."""
    with transaction.atomic():
        meeting = _lock_meeting(user, meeting_id)
        if not meeting.is_open_for_recording:
            raise CaseError(_("Kendala hanya dapat dicatat pada pertemuan yang sudah disiapkan dan belum final."))
        if not meeting.desa_entries.filter(desa_id=desa_id).exists():
            raise ValidationFailed(_("Desa ini tidak terdaftar sebagai peserta pertemuan."))
        case = case_create(user=user, desa=desa_id, meeting=meeting, **fields)
        if meeting.status == MeetingStatus.PREPARED:
            meeting.mark_held()
            meeting.save(update_fields=["status"])
        return case


REVIEW_ACTIONS = {
    ReviewOutcome.CONFIRMED: "confirm",
    ReviewOutcome.REOPENED: "reopen",
    ReviewOutcome.RE_ESCALATED: "re_escalate",
    ReviewOutcome.STILL_OPEN: None,
}


def meeting_review_case(*, user: Any, meeting_id: int, case_id: int, outcome: str, note: str = "",
                        expected_version: int | None = None) -> AgendaItem:
    """Record the review outcome of a carried-over case, moving its state where the outcome says so."""
    if outcome not in ReviewOutcome.values:
        raise ValidationFailed(_("Pilih hasil peninjauan."), field_errors={"outcome": _("Wajib dipilih.")})
    with transaction.atomic():
        meeting = _lock_meeting(user, meeting_id)
        if not meeting.is_open_for_recording:
            raise CaseError(_("Peninjauan hanya dapat dicatat pada pertemuan yang sedang berjalan."))
        item = get_in_scope_or_404(AgendaItem.objects.select_for_update(), meeting=meeting, case_id=case_id)
        if item.outcome:
            raise CaseError(_("Kasus ini sudah ditinjau di pertemuan ini: %(outcome)s.")
                            % {"outcome": item.get_outcome_display()})
        action = REVIEW_ACTIONS[ReviewOutcome(outcome)]
        note = (note or "").strip()
        if action:
            case_transition(user=user, case_id=case_id, action=action, expected_version=expected_version,
                            note=note, meeting=meeting)
        else:
            if not note:
                raise ValidationFailed(_("Tuliskan catatan perkembangan untuk kasus yang masih berjalan."),
                                       field_errors={"note": _("Wajib diisi.")})
            case = Case.objects.select_for_update().get(pk=case_id)
            _record(case, user=user, kind=EventKind.REVIEW, note=note, meeting=meeting,
                    data={"outcome": outcome})
        item.outcome, item.note, item.reviewed_by, item.reviewed_at = outcome, note, user, timezone.now()
        item.save()
        if meeting.status == MeetingStatus.PREPARED:
            meeting.mark_held()
            meeting.save(update_fields=["status"])
        return item


def missing_reviews(meeting: Meeting):
    return meeting.agenda.filter(outcome="").select_related("case__desa")


@transaction.atomic
def meeting_finalise(*, user: Any, meeting_id: int, expected_version: int | None = None) -> Meeting:
    """Close the meeting's record. Refused while a carried-over case has no review outcome."""
    meeting = _lock_meeting(user, meeting_id, expected_version)
    if meeting.status not in (MeetingStatus.PREPARED, MeetingStatus.HELD):
        raise CaseError(_("Hanya pertemuan yang sudah disiapkan yang dapat difinalkan."))
    missing = list(missing_reviews(meeting))
    if missing:
        listed = ", ".join(f"#{i.case_id} ({i.case.desa.name})" for i in missing[:20])
        raise ValidationFailed(
            _("Pertemuan belum dapat difinalkan: %(n)d kasus lama belum ditinjau: %(list)s.")
            % {"n": len(missing), "list": listed}
        )
    meeting.mark_finalised()
    meeting.finalised_at = timezone.now()
    meeting.version += 1
    meeting.save()
    meeting_finalised.send(sender=Meeting, meeting=meeting)
    return meeting


def events_since_previous(meeting: Meeting, case: Case):
    """What happened to a carried-over case since the previous meeting of the kecamatan."""
    qs = CaseEvent.objects.filter(case=case).select_related("actor")
    if meeting.previous_id and meeting.previous.prepared_at:
        qs = qs.filter(at__gte=meeting.previous.prepared_at)
    return qs


__all__ = [
    "meeting_create", "meeting_update_details", "meeting_set_order", "meeting_prepare", "meeting_record_obstacle", "meeting_review_case",
    "meeting_finalise", "carried_over_cases", "missing_reviews", "events_since_previous", "CaseState",
]
