"""The per-desa meeting sheet (Matriks 2/3): recording obstacles, lessons from other villages,
the projector view, the print view and the read-only copy shared back with the village.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.case_selectors import similar_lessons
from casework.forms import ObstacleForm
from casework.meeting_selectors import all_sheets, build_sheet, desa_entries, meeting_for, shared_meeting
from casework.models import Activity, MainGoal
from casework.services.errors import CaseError, ValidationFailed
from casework.services.meetings import meeting_record_obstacle
from casework.views.meetings import may_manage

PAPER_SIZES = ("A4", "A3")


def _entry(meeting, desa_id: int):
    for position, entry in enumerate(desa_entries(meeting)):
        if entry.desa_id == desa_id:
            return entry, position
    raise Http404


def _neighbours(meeting, index: int):
    entries = desa_entries(meeting)
    previous = entries[index - 1] if index > 0 else None
    following = entries[index + 1] if index + 1 < len(entries) else None
    return previous, following, len(entries)


def _target_objects(value: str, plan_id: int | None) -> dict:
    """Map the "goal:<id>" / "activity:<id>" choice to model objects of the sheet's own plan."""
    kind, _sep, raw = (value or "").partition(":")
    if not raw.isdigit() or not plan_id:
        return {}
    if kind == "goal":
        goal = MainGoal.objects.filter(pk=int(raw), plan_id=plan_id).first()
        return {"main_goal": goal} if goal else {}
    if kind == "activity":
        activity = Activity.objects.select_related("main_goal").filter(pk=int(raw), main_goal__plan_id=plan_id).first()
        return {"activity": activity, "main_goal": activity.main_goal} if activity else {}
    return {}


def _render_sheet(request, meeting, desa_id: int, *, form: ObstacleForm | None = None, status: int = 200,
                  lessons_text: str = "") -> HttpResponse:
    entry, index = _entry(meeting, desa_id)
    sheet = build_sheet(meeting, entry)
    previous, following, total = _neighbours(meeting, index)
    may_record = may_manage(request.user, meeting) and meeting.is_open_for_recording
    if form is None:
        form = ObstacleForm(targets=sheet.targets)
    lessons = similar_lessons(request.user, lessons_text, kabupaten_id=meeting.kecamatan.kabupaten_id,
                              exclude_desa_id=desa_id) if lessons_text else None
    return render(request, "casework/meeting_sheet.html", {
        "meeting": meeting, "sheet": sheet, "form": form, "may_record": may_record, "position": index + 1,
        "total": total, "previous": previous, "following": following, "lessons": lessons,
        "lessons_text": lessons_text,
    }, status=status)


@login_required
@require_GET
def meeting_sheet_view(request: HttpRequest, pk: int, desa_id: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    return _render_sheet(request, meeting, desa_id)


@login_required
@require_POST
def meeting_record_view(request: HttpRequest, pk: int, desa_id: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    entry, _index = _entry(meeting, desa_id)
    sheet = build_sheet(meeting, entry)
    form = ObstacleForm(request.POST, targets=sheet.targets)
    if not form.is_valid():
        messages.error(request, _("Periksa kembali isian berikut."))
        return _render_sheet(request, meeting, desa_id, form=form, status=400)
    data = form.cleaned_data
    if request.POST.get("cari"):
        # "Cari pembelajaran desa lain" without JavaScript: nothing is saved, the typed text comes back.
        return _render_sheet(request, meeting, desa_id, form=form, lessons_text=data["obstacle"].strip())
    try:
        case = meeting_record_obstacle(
            user=request.user, meeting_id=meeting.pk, desa_id=desa_id, obstacle=data["obstacle"],
            cause=data["cause"], solution=data["solution"], support_needed=data["support_needed"],
            support_from=data["support_from"], **_target_objects(data["target"], entry.plan_id))
    except CaseError as exc:
        for field, message in exc.field_errors.items():
            if field in form.fields:
                form.add_error(field, message)
        messages.error(request, exc.message)
        return _render_sheet(request, meeting, desa_id, form=form, status=400,
                             lessons_text=data.get("obstacle", "") if isinstance(exc, ValidationFailed) else "")
    messages.success(request, _("Kendala dicatat sebagai kasus %(number)s (status: diangkat).")
                     % {"number": case.number})
    return redirect(reverse("casework:meeting_sheet", args=[pk, desa_id]) + "#catat")


@login_required
@require_GET
def meeting_lessons_view(request: HttpRequest, pk: int, desa_id: int) -> HttpResponse:
    """The lessons panel alone (fetched by htmx while the obstacle is typed)."""
    meeting = meeting_for(request.user, pk)
    _entry(meeting, desa_id)
    text = request.GET.get("obstacle", "").strip()
    lessons = similar_lessons(request.user, text, kabupaten_id=meeting.kecamatan.kabupaten_id,
                              exclude_desa_id=desa_id) if text else None
    return render(request, "casework/_lessons.html", {"lessons": lessons, "lessons_text": text})


@login_required
@require_GET
def meeting_projector_view(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    """One desa's sheet at a time, in large type, for the projector (guide section 4, step 3)."""
    meeting = meeting_for(request.user, pk)
    entries = desa_entries(meeting)
    if not 1 <= position <= len(entries):
        raise Http404
    entry = entries[position - 1]
    return render(request, "casework/meeting_projector.html", {
        "meeting": meeting, "sheet": build_sheet(meeting, entry), "position": position, "total": len(entries),
        "previous": position - 1 if position > 1 else None,
        "following": position + 1 if position < len(entries) else None,
    })


def _paper(request) -> str:
    paper = request.GET.get("kertas", "A4").upper()
    return paper if paper in PAPER_SIZES else "A4"


@login_required
@require_GET
def meeting_print_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every desa's sheet (or one, with ?desa=), one per page, A4 or A3 landscape."""
    meeting = meeting_for(request.user, pk)
    desa_id = request.GET.get("desa")
    sheets = all_sheets(meeting, desa_id=int(desa_id) if desa_id and desa_id.isdigit() else None)
    if desa_id and not sheets:
        raise Http404
    return render(request, "casework/meeting_print.html", {
        "meeting": meeting, "sheets": sheets, "paper": _paper(request), "papers": PAPER_SIZES, "shared": False,
    })


@require_GET
def shared_sheet_view(request: HttpRequest, token: str, desa_id: int, key: str) -> HttpResponse:
    """The village copy: read-only, no login, only once the meeting is final; the link is the key."""
    meeting = shared_meeting(token, desa_id, key)
    sheets = all_sheets(meeting, desa_id=desa_id)
    if not sheets:
        raise Http404
    return render(request, "casework/meeting_print.html", {
        "meeting": meeting, "sheets": sheets, "paper": _paper(request), "papers": PAPER_SIZES, "shared": True,
    })
