"""Case pages: the list with filters, one case with its timeline, and the steps the user may take on it.

Views stay thin: reads come from ``casework.case_selectors`` (scoped), writes go
through ``casework.services.cases``. A refused or conflicting submit re-renders
the page with what the user typed and the message the service gave.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework import rules
from casework.case_selectors import case_for_detail, case_list, case_timeline
from casework.forms import CaseActionForm, CaseEditForm, CaseFilterForm, NoteForm
from casework.models import AgendaItem, CaseState
from casework.pagination import BoundedPaginator
from casework.scoping import desa_for, kabupaten_for, kecamatan_for, meetings_for
from casework.services.cases import (
    ACTION_LABELS,
    available_actions,
    case_acknowledge,
    case_add_comment,
    case_add_progress,
    case_transition,
    case_update_text,
)
from casework.services.errors import CaseConflict, CaseError, ValidationFailed

PAGE_SIZE = 50
MAX_CHOICES = 500


def _opd_choices(user):
    from escalation.models import OPD

    if user.is_programme_admin:
        return OPD.objects.select_related("kabupaten").order_by("kabupaten__name", "short_name")
    if user.role == "opd":
        return OPD.objects.filter(pk=user.opd_id)
    return OPD.objects.filter(kabupaten_id=user.home_kabupaten_id).order_by("short_name")


def _bounded_choices(qs, selected: str | None, *, within: dict | None = None):
    """The options of a filter list, at most MAX_CHOICES of them.

    A Pokja or kecamatan scope lists everything; the programme admin's scope has
    thousands of desa, kecamatan and OPDs, which would make every list page
    megabytes of <option> (docs/performance.md). Then only the chosen value and,
    for desa, those of the chosen kecamatan are offered (dashboard links carry ids).
    """
    if not qs[MAX_CHOICES:MAX_CHOICES + 1].exists():
        return qs
    narrowed = qs.filter(**within) if within else qs.none()
    if selected and str(selected).isdigit():
        narrowed = narrowed | qs.filter(pk=int(selected))
    return narrowed[:MAX_CHOICES]


@login_required
@require_GET
def case_list_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    get = request.GET
    kab, kec = get.get("kabupaten"), get.get("kecamatan")
    form = CaseFilterForm(
        get, kabupaten=kabupaten_for(user).order_by("name"),
        kecamatan=_bounded_choices(kecamatan_for(user).order_by("name"), kec,
                                   within={"kabupaten_id": int(kab)} if kab and kab.isdigit() else None),
        desa=_bounded_choices(desa_for(user).order_by("name"), get.get("desa"),
                              within={"kecamatan_id": int(kec)} if kec and kec.isdigit() else None),
        opd=_bounded_choices(_opd_choices(user), get.get("opd")),
        meetings=meetings_for(user).order_by("-date")[:50],
    )
    filters = form.filters()
    page = BoundedPaginator(case_list(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(v for k, v in request.GET.items() if k not in ("page", "urut"))
    return render(request, "casework/case_list.html", {"form": form, "page": page, "filtered": filtered})


def _render_detail(request: HttpRequest, case, *, status: int = 200, bound: CaseActionForm | None = None,
                   progress_form: NoteForm | None = None, comment_form: NoteForm | None = None,
                   edit_form: CaseEditForm | None = None) -> HttpResponse:
    user = request.user
    actions = available_actions(user, case)
    action_forms = []
    for action in actions:
        if bound is not None and bound.action == action:
            action_forms.append(bound)
        else:
            action_forms.append(CaseActionForm(action=action, case=case, initial={"version": case.version}))
    # A form for a step that is no longer possible (someone else moved the case):
    # its text is shown so nothing typed is lost.
    unsent = bound if bound is not None and bound.action not in actions else None
    may_edit = case.is_open and rules.can_act(user, case, "edit")
    context = {
        "case": case,
        "events": case_timeline(case),
        "action_forms": action_forms,
        "unsent": unsent,
        "unsent_note": unsent.data.get(unsent.add_prefix("note"), "") if unsent is not None else "",
        "may_acknowledge": (case.state == CaseState.ASSIGNED and not case.acknowledged_at
                            and rules.can_act(user, case, "acknowledge")),
        "may_progress": case.is_open and rules.can_act(user, case, "progress"),
        "may_comment": rules.can_act(user, case, "comment"),
        "progress_form": progress_form or NoteForm(prefix="progress"),
        "comment_form": comment_form or NoteForm(prefix="comment"),
        "may_edit": may_edit,
        "edit_form": edit_form or (CaseEditForm(prefix="edit", initial={
            "version": case.version, "obstacle": case.obstacle, "cause": case.cause, "solution": case.solution,
            "support_needed": case.support_needed, "support_from": case.support_from}) if may_edit else None),
        "agenda_items": AgendaItem.objects.filter(case=case).select_related("meeting").order_by("-meeting__date"),
        "is_overdue": case.is_overdue(),
    }
    return render(request, "casework/case_detail.html", context, status=status)


@login_required
@require_GET
def case_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, case_for_detail(request.user, pk))


def _refused(request, case_id: int, exc: CaseError, **forms_kwargs) -> HttpResponse:
    """Re-render the case as it is now, with the user's typed text and the service's message."""
    case = case_for_detail(request.user, case_id)
    bound = forms_kwargs.get("bound")
    if isinstance(exc, CaseConflict) and bound is not None:
        # Keep what was typed, but let a deliberate resubmit work against the current version.
        data = bound.data.copy()
        data[bound.add_prefix("version")] = str(case.version)
        fresh = CaseActionForm(data, action=bound.action, case=case)
        fresh.is_valid()
        forms_kwargs["bound"] = fresh
    edit_form = forms_kwargs.get("edit_form")
    if isinstance(exc, CaseConflict) and edit_form is not None:
        data = edit_form.data.copy()
        data[edit_form.add_prefix("version")] = str(case.version)
        forms_kwargs["edit_form"] = CaseEditForm(data, prefix="edit")
    for form in forms_kwargs.values():
        if form is None:
            continue
        for field, message in exc.field_errors.items():
            if field in form.fields:
                form.add_error(field, message)
    messages.error(request, exc.message)
    status = 409 if isinstance(exc, CaseConflict) else 400
    return _render_detail(request, case, status=status, **forms_kwargs)


@login_required
@require_POST
def case_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_LABELS:
        raise Http404
    case = case_for_detail(request.user, pk)
    form = CaseActionForm(request.POST, action=action, case=case)
    if not form.is_valid():
        messages.error(request, _("Periksa kembali isian berikut."))
        return _render_detail(request, case, status=400, bound=form)
    try:
        case = case_transition(user=request.user, case_id=case.pk, action=action,
                               expected_version=form.cleaned_data["version"], note=form.cleaned_data["note"],
                               **form.service_fields())
    except CaseError as exc:
        return _refused(request, pk, exc, bound=form)
    messages.success(request, _("%(action)s: status kasus sekarang %(state)s.")
                     % {"action": ACTION_LABELS[action], "state": case.get_state_display()})
    return redirect(reverse("casework:case_detail", args=[case.pk]) + "#riwayat")


@login_required
@require_POST
def case_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_detail(request.user, pk)
    try:
        case_acknowledge(user=request.user, case_id=case.pk, expected_version=request.POST.get("version") or None,
                         note=request.POST.get("note", ""))
    except CaseError as exc:
        return _refused(request, pk, exc)
    messages.success(request, _("Kasus telah diterima OPD Anda."))
    return redirect("casework:case_detail", pk=case.pk)


@login_required
@require_POST
def case_note_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A progress update or a comment: in the timeline, no change of state."""
    case = case_for_detail(request.user, pk)
    form = NoteForm(request.POST, prefix=kind)
    form.is_valid()
    service = case_add_progress if kind == "progress" else case_add_comment
    try:
        service(user=request.user, case_id=case.pk, note=form.cleaned_data.get("note", ""))
    except CaseError as exc:
        return _refused(request, pk, exc, **{f"{kind}_form": form})
    messages.success(request, _("Perkembangan dicatat.") if kind == "progress" else _("Komentar ditambahkan."))
    return redirect(reverse("casework:case_detail", args=[case.pk]) + "#riwayat")


@login_required
@require_POST
def case_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_detail(request.user, pk)
    form = CaseEditForm(request.POST, prefix="edit")
    if not form.is_valid():
        messages.error(request, _("Periksa kembali isian berikut."))
        return _render_detail(request, case, status=400, edit_form=form)
    try:
        data = dict(form.cleaned_data)
        version = data.pop("version")
        case_update_text(user=request.user, case_id=case.pk, expected_version=version, **data)
    except (CaseError, ValidationFailed) as exc:
        return _refused(request, pk, exc, edit_form=form)
    messages.success(request, _("Catatan kasus disimpan."))
    return redirect("casework:case_detail", pk=case.pk)
