"""Case writes: create, transitions, progress, comments.

Each function runs in one transaction: it locks the case row, checks the
version the user saw (optimistic concurrency), checks role and scope through
django-fsm's permission hook (``casework.rules``), validates the note the step
needs, moves the state, refreshes the stored deadline, and appends the history
row. If anything is refused, nothing is written.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed, has_transition_perm

from casework import rules
from casework.models import Activity, Case, CaseEvent, CaseState, Desa, EventKind, MainGoal, Meeting, SupportFrom
from casework.scoping import cases_for, desa_for, get_in_scope_or_404
from casework.services.errors import CaseConflict, CaseError, ValidationFailed
from casework.signals import case_event_recorded
from escalation.policy import refresh_case_deadline

# What each action needs from the user, and the label of the note field.
ACTION_LABELS = {
    "escalate": gettext_lazy("Eskalasi ke kabupaten"),
    "resolve_locally": gettext_lazy("Selesai di tingkat desa/kecamatan"),
    "withdraw": gettext_lazy("Tarik kasus"),
    "send_back": gettext_lazy("Kembalikan ke kecamatan"),
    "assign": gettext_lazy("Tugaskan ke OPD"),
    "return_case": gettext_lazy("Kembalikan: bukan wewenang kami"),
    "resolve": gettext_lazy("Tandai selesai"),
    "confirm": gettext_lazy("Konfirmasi selesai"),
    "reopen": gettext_lazy("Buka kembali"),
    "re_escalate": gettext_lazy("Eskalasi ulang"),
}
NOTE_REQUIRED = {
    "escalate": gettext_lazy("Tuliskan dukungan yang diminta dari kabupaten."),
    "resolve_locally": gettext_lazy("Tuliskan bagaimana kendala ini diselesaikan."),
    "withdraw": gettext_lazy("Tuliskan alasan penarikan."),
    "send_back": gettext_lazy("Tuliskan alasan pengembalian ke kecamatan."),
    "return_case": gettext_lazy("Tuliskan alasan mengapa ini bukan wewenang OPD Anda."),
    "resolve": gettext_lazy("Tuliskan apa yang telah dilakukan untuk menyelesaikannya."),
    "reopen": gettext_lazy("Tuliskan alasan kasus dibuka kembali."),
    "re_escalate": gettext_lazy("Tuliskan mengapa kasus dieskalasi ulang."),
}


def _record(case: Case, *, user: Any, kind: str, action: str = "", from_state: str = "", to_state: str = "",
            note: str = "", data: dict | None = None, meeting: Meeting | None = None) -> CaseEvent:
    event = CaseEvent.objects.create(case=case, actor=user if getattr(user, "pk", None) else None, kind=kind,
                                     action=action, from_state=from_state, to_state=to_state, note=note,
                                     data=data or {}, meeting=meeting)
    case_event_recorded.send(sender=CaseEvent, event=event)
    return event


def _lock(user: Any, case_id: int) -> Case:
    """The case row, locked for this transaction, or 404 when out of the user's scope."""
    return get_in_scope_or_404(cases_for(user).select_for_update(of=("self",)).select_related("kabupaten", "opd"), pk=case_id)


def _refuse_nul(**texts: Any) -> None:
    """PostgreSQL cannot store a NUL character: refuse it with a message instead of failing on the write."""
    bad = {name: _("Karakter null tidak diizinkan.") for name, value in texts.items()
           if isinstance(value, str) and "\x00" in value}
    if bad:
        raise ValidationFailed(_("Karakter null tidak diizinkan."), field_errors=bad)


def version_matches(expected: object, current: int) -> bool:
    """The version a form carried against the record's; an unreadable one (garbled, tampered) counts as stale."""
    try:
        return int(str(expected).strip()) == current
    except (TypeError, ValueError):  # found by tests/fuzz/test_form_fuzz.py: "abc" used to be a server error
        return False


def _check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and not version_matches(expected_version, case.version):
        raise CaseConflict(
            _("Kasus ini telah diubah oleh orang lain sejak Anda membukanya. Statusnya sekarang: %(state)s. "
              "Isian Anda masih ada di formulir; periksa lalu kirim ulang bila masih perlu.")
            % {"state": case.get_state_display()},
            current=case,
        )


@transaction.atomic
def case_create(*, user: Any, desa: Desa | int, obstacle: str, cause: str = "", solution: str = "",
                support_needed: str = "", support_from: str = SupportFrom.DESA, meeting: Meeting | None = None,
                main_goal: MainGoal | None = None, activity: Activity | None = None) -> Case:
    """Record an obstacle as a new case in state ``raised`` (kecamatan staff of that desa's kecamatan)."""
    desa_id = desa.pk if isinstance(desa, Desa) else desa
    desa_obj = get_in_scope_or_404(desa_for(user), pk=desa_id)
    if not (user.is_superuser or user.role in ("kecamatan", "admin")):
        raise CaseError(_("Hanya staf kecamatan yang dapat mencatat kendala."))
    _refuse_nul(obstacle=obstacle, cause=cause, solution=solution, support_needed=support_needed)
    obstacle = (obstacle or "").strip()
    if not obstacle:
        raise ValidationFailed(_("Kendala/tantangan wajib diisi."), field_errors={"obstacle": _("Wajib diisi.")})
    if support_from not in SupportFrom.values:
        raise ValidationFailed(_("Pilihan 'dukungan dari' tidak dikenal."))
    if meeting is not None and meeting.kecamatan_id != desa_obj.kecamatan_id:
        raise ValidationFailed(_("Desa ini bukan bagian dari kecamatan pertemuan."))
    for item, label in ((main_goal, _("Tujuan")), (activity, _("Kegiatan"))):
        plan_desa = None
        if isinstance(item, MainGoal):
            plan_desa = item.plan.desa_id
        elif isinstance(item, Activity):
            plan_desa = item.main_goal.plan.desa_id
        if item is not None and plan_desa != desa_obj.pk:
            raise ValidationFailed(_("%(label)s yang dipilih bukan dari rencana desa ini.") % {"label": label})
    if activity is not None and main_goal is None:
        main_goal = activity.main_goal
    now = timezone.now()
    case = Case(desa=desa_obj, kecamatan_id=desa_obj.kecamatan_id, kabupaten_id=desa_obj.kecamatan.kabupaten_id,
                meeting=meeting, main_goal=main_goal, activity=activity, obstacle=obstacle, cause=cause.strip(),
                solution=solution.strip(), support_needed=support_needed.strip(), support_from=support_from,
                created_by=user, state_changed_at=now)
    case.full_clean(exclude=["kabupaten", "kecamatan", "state"])
    refresh_case_deadline(case)
    case.save()
    _record(case, user=user, kind=EventKind.CREATED, to_state=CaseState.RAISED, note=obstacle, meeting=meeting)
    return case


def case_update_text(*, user: Any, case_id: int, expected_version: int | None, **fields: str) -> Case:
    """Edit the recorded texts (obstacle, cause, solution, support) without changing state."""
    allowed = {"obstacle", "cause", "solution", "support_needed", "support_from"}
    _refuse_nul(**fields)
    with transaction.atomic():
        case = _lock(user, case_id)
        _check_version(case, expected_version)
        if not rules.can_act(user, case, "edit"):
            raise CaseError(_("Anda tidak berwenang mengubah kasus ini."))
        changed = {}
        for name, value in fields.items():
            if name not in allowed:
                continue
            value = (value or "").strip()
            if getattr(case, name) != value:
                changed[name] = {"from": getattr(case, name), "to": value}
                setattr(case, name, value)
        if not case.obstacle:
            raise ValidationFailed(_("Kendala/tantangan wajib diisi."), field_errors={"obstacle": _("Wajib diisi.")})
        if not changed:
            return case
        case.version += 1
        case.save()
        _record(case, user=user, kind=EventKind.EDITED, data={"changed": sorted(changed)},
                note="; ".join(f"{k}: {v['to'][:200]}" for k, v in changed.items()))
        return case


def _validate(action: str, case: Case, user: Any, note: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Check what the step needs; return the attribute changes to apply. Raises ValidationFailed."""
    from escalation.models import OPD

    _refuse_nul(note=note, resolved_by=fields.get("resolved_by"))
    note = (note or "").strip()
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}
    if action in NOTE_REQUIRED and not note:
        errors["note"] = NOTE_REQUIRED[action]
    if action == "escalate":
        changes.update(support_needed=note or case.support_needed, support_from=SupportFrom.KABUPATEN)
    elif action == "resolve_locally":
        who = (fields.get("resolved_by") or "").strip()
        if not who:
            errors["resolved_by"] = _("Tuliskan siapa yang menyelesaikannya (desa, kecamatan, ...).")
        changes.update(resolution=note, resolved_by_text=who)
    elif action == "assign":
        opd = fields.get("opd")
        opd_id = opd.pk if isinstance(opd, OPD) else opd
        opd_obj = OPD.objects.filter(pk=opd_id or 0, kabupaten_id=case.kabupaten_id, active=True).first()
        if opd_obj is None:
            errors["opd"] = _("Pilih OPD dari kabupaten kasus ini.")
        due = fields.get("due_date")
        if not isinstance(due, date):
            errors["due_date"] = _("Tentukan batas waktu penyelesaian.")
        else:
            today = timezone.localdate(timezone.now(), case.kabupaten_tz())
            if due < today:
                errors["due_date"] = _("Batas waktu tidak boleh sebelum hari ini.")
        assignee = fields.get("assignee")
        if assignee is not None and opd_obj is not None and getattr(assignee, "opd_id", None) != opd_obj.pk:
            errors["assignee"] = _("Petugas yang dipilih bukan dari OPD tersebut.")
        changes.update(opd=opd_obj, assignee=assignee, due_date=due, acknowledged_at=None, returned=False,
                       return_reason="", last_progress_at=None, overdue_escalated_at=None)
    elif action == "return_case":
        changes.update(returned=True, return_reason=note, opd=None, assignee=None, due_date=None,
                       acknowledged_at=None, overdue_escalated_at=None)
    elif action == "send_back":
        changes.update(returned=False)
    elif action == "resolve":
        changes.update(resolution=note, resolved_by_text=str(case.opd or ""))
    elif action == "reopen":
        from escalation.policy import default_due_date

        if case.opd_id:
            changes.update(due_date=default_due_date(case.kabupaten_id), acknowledged_at=None,
                           last_progress_at=None, overdue_escalated_at=None)
    elif action == "re_escalate":
        changes.update(opd=None, assignee=None, due_date=None, acknowledged_at=None, returned=False,
                       support_needed=note or case.support_needed, support_from=SupportFrom.KABUPATEN,
                       overdue_escalated_at=None)
    if errors:
        raise ValidationFailed(_("Periksa kembali isian berikut."), field_errors=errors)
    return changes


def case_transition(*, user: Any, case_id: int, action: str, expected_version: int | None, note: str = "",
                    meeting: Meeting | None = None, **fields: Any) -> Case:
    """Move a case through one step of its life cycle. See the module docstring for the guarantees."""
    if action not in ACTION_LABELS:
        raise CaseError(_("Aksi tidak dikenal."))
    with transaction.atomic():
        case = _lock(user, case_id)
        _check_version(case, expected_version)
        method = getattr(case, action)
        if not can_proceed(method):
            raise CaseError(
                _("Langkah '%(action)s' tidak bisa dilakukan pada kasus berstatus %(state)s.")
                % {"action": ACTION_LABELS[action], "state": case.get_state_display()}
            )
        if not has_transition_perm(method, user):
            raise CaseError(_("Anda tidak berwenang melakukan langkah '%(action)s' pada kasus ini.")
                            % {"action": ACTION_LABELS[action]})
        changes = _validate(action, case, user, note, fields)
        from_state = case.state
        method()
        for name, value in changes.items():
            setattr(case, name, value)
        now = timezone.now()
        case.state_changed_at = now
        if case.state == CaseState.ESCALATED:
            case.escalation_count += 1
        case.version += 1
        refresh_case_deadline(case)
        case.save()
        data = {}
        if action == "assign":
            data = {"opd": case.opd.short_name, "opd_id": case.opd_id, "due_date": case.due_date.isoformat(),
                    "assignee_id": case.assignee_id}
        _record(case, user=user, kind=EventKind.TRANSITION, action=action, from_state=from_state,
                to_state=case.state, note=(note or "").strip(), data=data, meeting=meeting)
        return case


def case_acknowledge(*, user: Any, case_id: int, expected_version: int | None, note: str = "") -> Case:
    """The OPD confirms it has received an assigned case. State stays ``assigned``."""
    with transaction.atomic():
        case = _lock(user, case_id)
        _check_version(case, expected_version)
        if case.state != CaseState.ASSIGNED or not rules.can_act(user, case, "acknowledge"):
            raise CaseError(_("Kasus ini tidak dapat diterima oleh Anda saat ini."))
        if case.acknowledged_at:
            raise CaseError(_("Kasus ini sudah diterima sebelumnya."))
        case.acknowledged_at = timezone.now()
        case.version += 1
        refresh_case_deadline(case)
        case.save()
        _record(case, user=user, kind=EventKind.ACKNOWLEDGED, note=(note or "").strip())
        return case


def case_add_progress(*, user: Any, case_id: int, note: str) -> CaseEvent:
    """A progress update: in the timeline, resets the 'no update for N days' clock, no state change."""
    _refuse_nul(note=note)
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Tuliskan perkembangan yang ingin dilaporkan."), field_errors={"note": _("Wajib diisi.")})
    with transaction.atomic():
        case = _lock(user, case_id)
        if not case.is_open or not rules.can_act(user, case, "progress"):
            raise CaseError(_("Perkembangan tidak dapat ditambahkan pada kasus ini."))
        case.last_progress_at = timezone.now()
        if case.state == CaseState.ASSIGNED and user.role == "opd" and not case.acknowledged_at:
            case.acknowledged_at = case.last_progress_at  # acting on it is acknowledging it
        refresh_case_deadline(case)
        case.save(update_fields=["last_progress_at", "acknowledged_at", "deadline_at", "deadline_kind",
                                 "update_due_at", "updated_at"])
        return _record(case, user=user, kind=EventKind.PROGRESS, note=note)


def case_add_comment(*, user: Any, case_id: int, note: str) -> CaseEvent:
    _refuse_nul(note=note)
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Komentar tidak boleh kosong."), field_errors={"note": _("Wajib diisi.")})
    with transaction.atomic():
        case = _lock(user, case_id)
        if not rules.can_act(user, case, "comment"):
            raise CaseError(_("Anda tidak dapat berkomentar pada kasus ini."))
        return _record(case, user=user, kind=EventKind.COMMENT, note=note)


def available_actions(user: Any, case: Case) -> list[str]:
    """The transitions this user may take now, for showing only the buttons that work."""
    result = []
    for action in ACTION_LABELS:
        method = getattr(case, action)
        if can_proceed(method) and has_transition_perm(method, user):
            result.append(action)
    return result
