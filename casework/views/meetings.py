"""Meeting pages: list, create, the meeting's page (order, prepare, finalise) and the review of carried-over cases.

The per-desa sheets (recording obstacles, projector, print, village copy) are in
``casework.views.sheets``.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_fsm import can_proceed, has_transition_perm

from casework.forms import MeetingForm, ReviewForm, desa_order_from_post
from casework.meeting_selectors import (
    agenda_groups,
    desa_entries,
    desa_share_key,
    meeting_for,
    missing_review_items,
)
from casework.models import AgendaItem, Case, MeetingStatus, ReviewOutcome
from casework.scoping import desa_for, get_in_scope_or_404, kecamatan_for, meetings_for
from casework.services.errors import CaseConflict, CaseError
from casework.services.meetings import (
    REVIEW_ACTIONS,
    meeting_create,
    meeting_finalise,
    meeting_prepare,
    meeting_review_case,
    meeting_set_order,
    meeting_update_details,
)


def may_manage(user, meeting_or_kecamatan_id) -> bool:
    """Kecamatan staff of that kecamatan (or the programme admin) run its meetings; others only read."""
    kec_id = getattr(meeting_or_kecamatan_id, "kecamatan_id", meeting_or_kecamatan_id)
    return bool(user.is_programme_admin or (user.role == "kecamatan" and user.kecamatan_id == kec_id))


@login_required
@require_GET
def meeting_list_view(request: HttpRequest) -> HttpResponse:
    qs = meetings_for(request.user).order_by("-date", "-id")
    status = request.GET.get("status", "")
    if status in MeetingStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    may_create = request.user.is_programme_admin or (request.user.role == "kecamatan" and request.user.kecamatan_id)
    return render(request, "casework/meeting_list.html", {
        "page": page, "status": status, "statuses": MeetingStatus.choices, "may_create": may_create})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    kecamatan = [k for k in kecamatan_for(user).order_by("name") if may_manage(user, k.pk)]
    if not kecamatan:
        messages.error(request, _("Hanya staf kecamatan yang dapat membuat pertemuan koordinasi."))
        return redirect("casework:meeting_list")
    choices = [(k.pk, k.name) for k in kecamatan]
    form = MeetingForm(request.POST or None, kecamatan_choices=choices)
    kec_id = _selected_kecamatan(request, choices)
    desa_list = list(desa_for(user).filter(kecamatan_id=kec_id).order_by("name"))
    order_raw: dict[int, str] = {}
    if request.method == "POST":
        desa_ids, order_raw = desa_order_from_post(request.POST, desa_list)
        if form.is_valid():
            if not desa_ids:
                messages.error(request, _("Isi nomor urut pembahasan untuk minimal satu desa peserta."))
            else:
                try:
                    meeting = meeting_create(
                        user=user, kecamatan_id=form.cleaned_data["kecamatan"], date=form.cleaned_data["date"],
                        place=form.cleaned_data["place"], chair=form.cleaned_data["chair"], desa_ids=desa_ids,
                        next_meeting_date=form.cleaned_data["next_meeting_date"],
                        participants=form.participants())
                except CaseError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("Pertemuan dibuat. Periksa urutan desa lalu siapkan lembar tiap desa."))
                    return redirect("casework:meeting_detail", pk=meeting.pk)
        else:
            messages.error(request, _("Periksa kembali isian berikut."))
    else:
        order_raw = {d.pk: str(i) for i, d in enumerate(desa_list, start=1)}
    rows = [(d, order_raw.get(d.pk, "")) for d in desa_list]
    return render(request, "casework/meeting_form.html", {
        "form": form, "desa_rows": rows, "kecamatan_id": kec_id, "kecamatan_choices": choices,
        "kecamatan_name": dict(choices).get(kec_id, "")},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change date, place, chair, next meeting date and participants (not the desa order: that has its own form)."""
    meeting = meeting_for(request.user, pk)
    if not may_manage(request.user, meeting) or meeting.status == MeetingStatus.FINALISED:
        messages.error(request, _("Pertemuan ini tidak dapat diubah oleh Anda."))
        return redirect("casework:meeting_detail", pk=meeting.pk)
    choices = [(meeting.kecamatan_id, meeting.kecamatan.name)]
    if request.method == "POST":
        form = MeetingForm(request.POST, kecamatan_choices=choices)
        if form.is_valid():
            try:
                meeting_update_details(
                    user=request.user, meeting_id=meeting.pk, expected_version=request.POST.get("version"),
                    date=form.cleaned_data["date"], place=form.cleaned_data["place"],
                    chair=form.cleaned_data["chair"], next_meeting_date=form.cleaned_data["next_meeting_date"],
                    participants=form.participants())
            except CaseError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Data pertemuan disimpan."))
                return redirect("casework:meeting_detail", pk=meeting.pk)
        else:
            messages.error(request, _("Periksa kembali isian berikut."))
        status = 409 if request.POST.get("version") != str(meeting.version) else 400
    else:
        by_kind: dict[str, list[str]] = {}
        for p in meeting.participants.all():
            by_kind.setdefault(p.kind, []).append(f"{p.name}, {p.organisation}" if p.organisation else p.name)
        initial = {"kecamatan": meeting.kecamatan_id, "date": meeting.date, "place": meeting.place,
                   "chair": meeting.chair, "next_meeting_date": meeting.next_meeting_date}
        for field, kind in MeetingForm.PARTICIPANT_FIELDS.items():
            initial[field] = "\n".join(by_kind.get(kind, []))
        form = MeetingForm(initial=initial, kecamatan_choices=choices)
        status = 200
    return render(request, "casework/meeting_edit.html", {"form": form, "meeting": meeting}, status=status)


def _selected_kecamatan(request, choices) -> int:
    raw = request.POST.get("kecamatan") or request.GET.get("kecamatan") or ""
    allowed = [pk for pk, _name in choices]
    try:
        return int(raw) if int(raw) in allowed else allowed[0]
    except ValueError:
        return allowed[0]


def _detail_context(request, meeting) -> dict:
    entries = desa_entries(meeting)
    all_desa = list(desa_for(request.user).filter(kecamatan_id=meeting.kecamatan_id).order_by("name"))
    positions = {e.desa_id: e.position for e in entries}
    missing = list(missing_review_items(meeting)) if meeting.status != MeetingStatus.DRAFT else []
    if meeting.status == MeetingStatus.FINALISED:
        for entry in entries:
            entry.share_key = desa_share_key(meeting, entry.desa_id)
    return {
        "meeting": meeting,
        "entries": entries,
        "participants": meeting.participants.all(),
        "order_rows": [(d, positions.get(d.pk, "")) for d in all_desa],
        "agenda_count": meeting.agenda.count(),
        "missing": missing,
        "raised_count": Case.objects.filter(meeting=meeting).count(),
        "may_manage": may_manage(request.user, meeting),
    }


@login_required
@require_GET
def meeting_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    return render(request, "casework/meeting_detail.html", _detail_context(request, meeting))


def _meeting_refused(request, meeting_id: int, exc: CaseError, *, order_raw=None) -> HttpResponse:
    messages.error(request, exc.message)
    meeting = meeting_for(request.user, meeting_id)
    context = _detail_context(request, meeting)
    if order_raw is not None:
        context["order_rows"] = [(d, order_raw.get(d.pk, "")) for d, _pos in context["order_rows"]]
    return render(request, "casework/meeting_detail.html", context,
                  status=409 if isinstance(exc, CaseConflict) else 400)


@login_required
@require_POST
def meeting_order_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    desa_list = list(desa_for(request.user).filter(kecamatan_id=meeting.kecamatan_id))
    desa_ids, raw = desa_order_from_post(request.POST, desa_list)
    try:
        if not desa_ids:
            from casework.services.errors import ValidationFailed

            raise ValidationFailed(_("Isi nomor urut pembahasan untuk minimal satu desa peserta."))
        meeting_set_order(user=request.user, meeting_id=meeting.pk, desa_ids=desa_ids,
                          expected_version=request.POST.get("version") or None)
    except CaseError as exc:
        return _meeting_refused(request, pk, exc, order_raw=raw)
    messages.success(request, _("Urutan pembahasan desa disimpan."))
    return redirect("casework:meeting_detail", pk=pk)


@login_required
@require_POST
def meeting_prepare_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    try:
        meeting = meeting_prepare(user=request.user, meeting_id=meeting.pk,
                                  expected_version=request.POST.get("version") or None)
    except CaseError as exc:
        return _meeting_refused(request, pk, exc)
    n = meeting.agenda.count()
    messages.success(request, _("Lembar tiap desa telah disiapkan dari rencana desa terkini; "
                                "%(n)d kasus lama dibawa ke agenda untuk ditinjau.") % {"n": n})
    return redirect("casework:meeting_detail", pk=pk)


@login_required
@require_POST
def meeting_finalise_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    try:
        meeting_finalise(user=request.user, meeting_id=meeting.pk,
                         expected_version=request.POST.get("version") or None)
    except CaseError as exc:
        return _meeting_refused(request, pk, exc)
    messages.success(request, _("Catatan pertemuan telah final. Lembar tiap desa dapat dibagikan kembali ke desa."))
    return redirect("casework:meeting_detail", pk=pk)


def review_outcomes(user, case) -> list[str]:
    """Outcomes that make sense for this case now: the state machine and the user's rights decide."""
    allowed = [ReviewOutcome.STILL_OPEN.value]
    for outcome, action in REVIEW_ACTIONS.items():
        if action is None:
            continue
        method = getattr(case, action)
        if can_proceed(method) and has_transition_perm(method, user):
            allowed.append(outcome.value)
    return allowed


def _review_context(request, meeting, *, bound: dict | None = None) -> dict:
    groups = agenda_groups(meeting)
    for group in groups:
        for item in group.items:
            outcomes = review_outcomes(request.user, item.case)
            if bound and bound["case_id"] == item.case_id:
                item.form = bound["form"]
            else:
                item.form = ReviewForm(prefix=f"r{item.case_id}", outcomes=outcomes,
                                       initial={"version": item.case.version})
    return {"meeting": meeting, "groups": groups, "may_manage": may_manage(request.user, meeting),
            "missing_count": meeting.agenda.filter(outcome="").count()}


@login_required
@require_GET
def meeting_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    return render(request, "casework/meeting_review.html", _review_context(request, meeting))


@login_required
@require_POST
def meeting_review_case_view(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    item = get_in_scope_or_404(AgendaItem.objects.select_related("case"), meeting=meeting, case_id=case_id)
    prefix = f"r{case_id}"
    form = ReviewForm(request.POST, prefix=prefix, outcomes=review_outcomes(request.user, item.case))
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        seen = data.get("version")
        if seen is not None and seen != item.case.version:
            # Checked before the outcome: the outcomes offered depend on the state the user saw.
            raise CaseConflict(_("Kasus ini telah diubah oleh orang lain sejak Anda membukanya. Statusnya sekarang: "
                                 "%(state)s. Isian Anda masih ada di formulir; periksa lalu kirim ulang bila masih "
                                 "perlu.") % {"state": item.case.get_state_display()}, current=item.case)
        if "outcome" in form.errors:
            from casework.services.errors import ValidationFailed

            raise ValidationFailed(_("Hasil peninjauan itu tidak dapat dipilih untuk kasus ini."),
                                   field_errors={"outcome": _("Pilih salah satu hasil yang tersedia.")})
        meeting_review_case(user=request.user, meeting_id=meeting.pk, case_id=case_id,
                            outcome=data.get("outcome") or "", note=data.get("note") or "",
                            expected_version=data.get("version"))
    except CaseError as exc:
        messages.error(request, exc.message)
        item.case.refresh_from_db()
        if isinstance(exc, CaseConflict):
            post = form.data.copy()
            post[form.add_prefix("version")] = str(item.case.version)
            form = ReviewForm(post, prefix=prefix, outcomes=review_outcomes(request.user, item.case))
            form.is_valid()
        for field, message in exc.field_errors.items():
            if field in form.fields and field not in form.errors:
                form.add_error(field, message)
        context = _review_context(request, meeting, bound={"case_id": case_id, "form": form})
        return render(request, "casework/meeting_review.html", context,
                      status=409 if isinstance(exc, CaseConflict) else 400)
    messages.success(request, _("Hasil peninjauan kasus #%(id)d dicatat.") % {"id": case_id})
    return redirect(reverse("casework:meeting_review", args=[pk]) + f"#kasus-{case_id}")
