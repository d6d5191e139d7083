"""Exports, each starting from the user's scope: a meeting outside it (or a desa not in the meeting) is a 404."""
from __future__ import annotations

from typing import IO, Any

from django.utils.text import slugify

from casework.models import Meeting
from casework.scoping import get_in_scope_or_404, kecamatan_for
from excel.selectors import meeting_in_scope
from excel.writers.meeting_sheet import write_meeting_workbook
from excel.writers.reports import write_matriks4, write_register


def meeting_sheet_filename(meeting: Meeting, desa_name: str | None = None) -> str:
    who = slugify(desa_name) if desa_name else slugify(meeting.kecamatan.name)
    return f"matriks2-{who}-{meeting.date:%Y%m%d}.xlsx"


def export_meeting_sheet(*, user: Any, meeting_id: int, fh: IO[bytes], desa_id: int | None = None) -> str:
    """Write the Matriks 2 workbook (one desa, or a sheet per participating desa); returns a file name."""
    meeting = meeting_in_scope(user, meeting_id)
    write_meeting_workbook(fh, user=user, meeting=meeting, desa_id=desa_id)
    desa_name = meeting.desa_entries.get(desa_id=desa_id).desa.name if desa_id else None
    return meeting_sheet_filename(meeting, desa_name)


def export_matriks4(*, user: Any, meeting_id: int, fh: IO[bytes]) -> str:
    meeting = meeting_in_scope(user, meeting_id)
    write_matriks4(fh, user=user, meeting=meeting)
    return f"matriks4-{slugify(meeting.kecamatan.name)}-{meeting.date:%Y%m%d}.xlsx"


def register_scope_label(user: Any, kecamatan_id: int | None = None) -> str:
    if kecamatan_id:
        return f"Kecamatan {get_in_scope_or_404(kecamatan_for(user), pk=kecamatan_id).name}"
    return user.scope_label()


def export_register(*, user: Any, fh: IO[bytes], kecamatan_id: int | None = None, progress=None) -> int:
    """The case register of the user's scope (optionally one kecamatan of it); returns the number of cases."""
    label = register_scope_label(user, kecamatan_id)
    return write_register(fh, user=user, kecamatan_id=kecamatan_id, progress=progress, scope_label=label)
