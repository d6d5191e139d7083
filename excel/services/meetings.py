"""Import a filled meeting sheet (Matriks 2): new rows become cases, known rows update their case.

Idempotent by design: a row with a case Ref updates that case only where a
text differs; a row without a Ref whose obstacle text matches (ignoring case
and spacing) a case already recorded at this meeting for this desa is that
case, not a new one. Re-uploading the same file therefore changes nothing.
All writes go through casework.services (meeting_record_obstacle,
case_update_text), inside one transaction: any refusal rolls back the file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from casework.models import Activity, Case, MainGoal, Meeting
from casework.scoping import cases_for, get_in_scope_or_404, meetings_for
from casework.services.cases import case_update_text
from casework.services.errors import CaseError
from casework.services.meetings import meeting_record_obstacle
from excel.layout import SUPPORT_LABEL, TEXT_FIELDS
from excel.readers.grid import Problem
from excel.readers.meeting import MeetingSheet, read_meeting_workbook
from excel.safety import FileRejected, check_upload, load_workbook
from excel.services.common import ImportRefused, rejected_preview
from excel.text import clean, same_text, tanggal

FIELD_LABELS = {"obstacle": "Kendala/Tantangan", "cause": "Penyebab", "solution": "Gagasan solusi & tindak lanjut",
                "support_needed": "Dukungan yang dibutuhkan", "support_from": "Dukungan dari"}


@dataclass
class Changes:
    creates: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _meeting(user: Any, meeting_id: int, *, lock: bool = False) -> Meeting:
    qs = meetings_for(user)
    meeting = get_in_scope_or_404(qs.select_for_update() if lock else qs, pk=meeting_id)
    if not (user.is_superuser or user.role == "admin"
            or (user.role == "kecamatan" and user.kecamatan_id == meeting.kecamatan_id)):
        raise ImportRefused(_("Hanya staf kecamatan ini yang dapat mengimpor lembar pertemuannya."))
    return meeting


def _desa_for_sheet(sheet: MeetingSheet, meeting: Meeting, entries: dict, out: Changes) -> int | None:
    if sheet.meeting_id is not None and sheet.meeting_id != meeting.pk:
        out.problems.append(Problem(_("Lembar ini berasal dari pertemuan lain; unggah ke pertemuan yang benar."),
                                    sheet.title, 1))
        return None
    if sheet.desa_id in entries:
        return sheet.desa_id
    for name in (sheet.desa_name, sheet.title):
        for desa_id, entry in entries.items():
            if name and same_text(name, entry.desa.name):
                return desa_id
    out.problems.append(Problem(_("Desa '%(d)s' bukan peserta pertemuan ini.") % {"d": sheet.desa_name or sheet.title},
                                sheet.title, 1))
    return None


def _diff(case: Case, row) -> list[dict]:
    changes = []
    for name in TEXT_FIELDS:
        old, new = (getattr(case, name) or "").strip(), row.values[name]
        if clean(old) != new:  # the sheet's text is read with spacing normalised; so is the comparison
            changes.append({"field": name, "label": FIELD_LABELS[name], "old": old, "new": new})
    if row.support_from and row.support_from != case.support_from:
        changes.append({"field": "support_from", "label": FIELD_LABELS["support_from"],
                        "old": SUPPORT_LABEL.get(case.support_from, case.support_from),
                        "new": SUPPORT_LABEL[row.support_from], "value": row.support_from})
    return changes


def _plan_changes(user: Any, meeting: Meeting, sheets: list[MeetingSheet], out: Changes) -> None:
    entries = {e.desa_id: e for e in meeting.desa_entries.select_related("desa")}
    for sheet in sheets:
        desa_id = _desa_for_sheet(sheet, meeting, entries, out)
        if desa_id is None:
            continue
        desa_name = entries[desa_id].desa.name
        if sheet.date and sheet.date != meeting.date:
            out.warnings.append(Problem(_("Tanggal di lembar (%(a)s) berbeda dengan tanggal pertemuan (%(b)s).")
                                        % {"a": tanggal(sheet.date), "b": tanggal(meeting.date)}, sheet.title, 2))
        cases = list(cases_for(user).filter(meeting=meeting, desa_id=desa_id).order_by("created_at", "id"))
        by_ref = {c.ref: c for c in cases}
        goals = set(MainGoal.objects.filter(plan__desa_id=desa_id).values_list("pk", flat=True))
        activities = dict(Activity.objects.filter(main_goal__plan__desa_id=desa_id).values_list("pk", "main_goal_id"))
        claimed: set[int] = set()
        new_texts: list[str] = []
        for row in sheet.rows:
            where = (sheet.title, row.row)
            if "c" in row.ref:
                case = by_ref.get(row.ref["c"])
                if case is None:
                    out.problems.append(Problem(_("Kasus pada baris ini tidak ditemukan di pertemuan ini untuk desa "
                                                  "ini (Ref tidak dikenal)."), *where, sheet.letter("ref")))
                    continue
                if not row.values["obstacle"]:
                    out.problems.append(Problem(_("Kendala kasus #%(n)s tidak boleh dikosongkan; untuk menarik kasus "
                                                  "gunakan halaman kasus.") % {"n": case.pk}, *where,
                                                sheet.letter("obstacle")))
                    continue
            elif not row.values["obstacle"]:
                out.problems.append(Problem(_("Kolom kendala kosong, padahal kolom lain di baris ini terisi."),
                                            *where, sheet.letter("obstacle")))
                continue
            else:
                case = next((c for c in cases if c.pk not in claimed and same_text(c.obstacle, row.values["obstacle"])),
                            None)
            if case is not None:
                if case.pk in claimed:
                    out.warnings.append(Problem(_("Kasus #%(n)s muncul lebih dari sekali; baris ini dilewati.")
                                                % {"n": case.pk}, *where))
                    continue
                claimed.add(case.pk)
                changes = _diff(case, row)
                if changes:
                    out.updates.append({"sheet": sheet.title, "row": row.row, "desa": desa_name, "case_id": case.pk,
                                        "version": case.version, "changes": changes})
                else:
                    out.unchanged += 1
                continue
            if any(same_text(t, row.values["obstacle"]) for t in new_texts):
                out.warnings.append(Problem(_("Kendala yang sama sudah ada di baris lain lembar ini; baris ini "
                                              "dilewati."), *where, sheet.letter("obstacle")))
                continue
            goal_id, activity_id = row.ref.get("g") or None, row.ref.get("a") or None
            if goal_id and goal_id not in goals or activity_id and activity_id not in activities:
                out.problems.append(Problem(_("Tujuan/kegiatan pada kolom Ref bukan dari rencana desa ini."),
                                            *where, sheet.letter("ref")))
                continue
            if activity_id:
                goal_id = activities[activity_id]
            new_texts.append(row.values["obstacle"])
            out.creates.append({"sheet": sheet.title, "row": row.row, "desa": desa_name, "desa_id": desa_id,
                                "goal_id": goal_id, "activity_id": activity_id, **row.values,
                                "support_from": row.support_from or "desa",
                                "support_from_label": SUPPORT_LABEL[row.support_from or "desa"]})
    if (out.creates or out.updates) and not meeting.is_open_for_recording:
        out.problems.append(Problem(_("Pertemuan ini berstatus %(s)s; kendala hanya dapat dicatat pada pertemuan "
                                      "yang sudah disiapkan dan belum final.") % {"s": meeting.get_status_display()}))


def _read(path: Path, user: Any, meeting: Meeting) -> Changes:
    out = Changes()
    check_upload(path)
    sheets, problems, warnings = read_meeting_workbook(load_workbook(path))
    out.problems.extend(problems)
    out.warnings.extend(warnings)
    _plan_changes(user, meeting, sheets, out)
    return out


def meeting_import_preview(*, user: Any, meeting_id: int, path: Path) -> dict:
    """What importing this sheet would create and change, and every problem, as a JSON-ready dict. Writes nothing."""
    meeting = _meeting(user, meeting_id)
    try:
        out = _read(path, user, meeting)
    except FileRejected as exc:
        return rejected_preview("meeting", exc.message)
    return {
        "kind": "meeting", "ok": not out.problems, "meeting": f"{meeting.kecamatan.name} · {tanggal(meeting.date)}",
        "meeting_id": meeting.pk,
        "problems": [p.as_dict() for p in out.problems], "warnings": [p.as_dict() for p in out.warnings],
        "creates": out.creates, "updates": out.updates,
        "summary": {"creates": len(out.creates), "updates": len(out.updates), "unchanged": out.unchanged},
    }


def meeting_import_commit(*, user: Any, meeting_id: int, path: Path) -> dict:
    """Apply the sheet in one transaction; returns the counts. Raises ImportRefused (nothing saved) on any problem."""
    with transaction.atomic():
        meeting = _meeting(user, meeting_id, lock=True)
        try:
            out = _read(path, user, meeting)
        except FileRejected as exc:
            raise ImportRefused(exc.message) from None
        if out.problems:
            raise ImportRefused(_("Berkas berisi %(n)d masalah; tidak ada yang disimpan.") % {"n": len(out.problems)},
                                problems=out.problems)
        created = []
        for item in out.creates:
            try:
                case = meeting_record_obstacle(
                    user=user, meeting_id=meeting.pk, desa_id=item["desa_id"], obstacle=item["obstacle"],
                    cause=item["cause"], solution=item["solution"], support_needed=item["support_needed"],
                    support_from=item["support_from"],
                    main_goal=MainGoal.objects.get(pk=item["goal_id"]) if item["goal_id"] else None,
                    activity=Activity.objects.get(pk=item["activity_id"]) if item["activity_id"] else None)
            except CaseError as exc:
                raise ImportRefused(exc.message, problems=[Problem(exc.message, item["sheet"], item["row"])]) from None
            created.append(case.pk)
        for item in out.updates:
            fields = {c["field"]: c.get("value", c["new"]) for c in item["changes"]}
            try:
                case_update_text(user=user, case_id=item["case_id"], expected_version=item["version"], **fields)
            except CaseError as exc:
                raise ImportRefused(exc.message, problems=[Problem(exc.message, item["sheet"], item["row"])]) from None
    return {"created": len(created), "updated": len(out.updates), "unchanged": out.unchanged, "case_ids": created}
