"""Case pages: the list with filters, one case with its timeline, and the steps the user may take on it.

Views stay thin: reads come from ``casework.case_selectors`` (scoped), writes go
through ``casework.services.cases``. A refused or conflicting submit re-renders
the page with what the user typed and the message the service gave.
"""
from __future__ import annotations

from collections import namedtuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists
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
from casework.views.select_renderer import SELECT_RENDERER

PAGE_SIZE = 50
MAX_CHOICES = 500


def _opd_choices(user):
    from escalation.models import OPD

    if user.is_programme_admin:
        return OPD.objects.select_related("kabupaten").order_by("kabupaten__name", "short_name")
    if user.role == "opd":
        return OPD.objects.filter(pk=user.opd_id)
    return OPD.objects.filter(kabupaten_id=user.home_kabupaten_id).order_by("short_name")


# The filter lists need an id and a label per option; rows, not model instances (with their joined
# kecamatan and kabupaten), are enough and several times cheaper for a few hundred options.
_Named = namedtuple("_Named", "pk name")
_ShortNamed = namedtuple("_ShortNamed", "pk short_name")
_MeetingOption = namedtuple("_MeetingOption", "pk date kecamatan")


def _bounded_choices(qs, row, fields: tuple, selected: str | None, *, within: dict | None = None) -> list:
    """The options of a filter list, at most MAX_CHOICES of them, as ``row`` tuples of ``fields``.

    A Pokja or kecamatan scope lists everything; the programme admin's scope has
    thousands of desa, kecamatan and OPDs, which would make every list page
    megabytes of <option> (docs/performance.md). Then only the chosen value and,
    for desa, those of the chosen kecamatan are offered (dashboard links carry ids).

    The list and the check that it is short are one query: the uncorrelated NOT EXISTS
    is evaluated once, before any row is read.
    """
    qs = qs.select_related(None)
    rows = list(qs.filter(~Exists(qs[MAX_CHOICES:MAX_CHOICES + 1])).values_list(*fields))
    if not rows:  # more than MAX_CHOICES, or none at all (then the narrowed list is empty too)
        narrowed = qs.filter(**within) if within else qs.none()
        if _choice_id(selected) is not None:
            narrowed = narrowed | qs.filter(pk=_choice_id(selected))
        rows = narrowed[:MAX_CHOICES].values_list(*fields)
    return [row(*values) for values in rows]


def _choice_id(value: str | None) -> int | None:
    """The id in a filter parameter, or None for anything a database id column cannot hold."""
    if value and value.isascii() and value.isdigit() and int(value) < 2**63:
        return int(value)
    return None


def _rows(qs, row, *fields) -> list:
    return [row(*values) for values in qs.select_related(None).values_list(*fields)]


def _meeting_options(qs, limit: int) -> list:
    rows = qs.select_related(None).values_list("pk", "date", "kecamatan_id", "kecamatan__name")[:limit]
    return [_MeetingOption(pk, date, _Named(kecamatan_id, kecamatan_name))
            for pk, date, kecamatan_id, kecamatan_name in rows]


# Columns the list shows; the rest of a case (its long texts) stays in the database.
LIST_COLUMNS = ("desa__name", "kecamatan__name", "opd__short_name", "obstacle", "state", "deadline_at")


def _detail_url_of():
    """A function pk → the case's URL, from one reverse() per page instead of two per row."""
    prefix, _zero, suffix = reverse("casework:case_detail", args=[0]).rpartition("0")
    return lambda pk: f"{prefix}{pk}{suffix}"


@login_required
@require_GET
def case_list_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    get = request.GET
    kab, kec = _choice_id(get.get("kabupaten")), _choice_id(get.get("kecamatan"))
    form = CaseFilterForm(
        get, kabupaten=_rows(kabupaten_for(user).order_by("name"), _Named, "pk", "name"),
        kecamatan=_bounded_choices(kecamatan_for(user).order_by("name"), _Named, ("pk", "name"), get.get("kecamatan"),
                                   within={"kabupaten_id": kab} if kab is not None else None),
        desa=_bounded_choices(desa_for(user).order_by("name"), _Named, ("pk", "name"), get.get("desa"),
                              within={"kecamatan_id": kec} if kec is not None else None),
        opd=_bounded_choices(_opd_choices(user), _ShortNamed, ("pk", "short_name"), get.get("opd")),
        meetings=_meeting_options(meetings_for(user).order_by("-date"), 50),
        renderer=SELECT_RENDERER,
    )
    filters = form.filters()
    page = BoundedPaginator(case_list(user, filters).only(*LIST_COLUMNS), PAGE_SIZE).get_page(request.GET.get("page"))
    detail_url = _detail_url_of()
    for case in page:
        case.detail_url = detail_url(case.pk)
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
        "events": list(case_timeline(case)),
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
