"""The Pokja inbox: escalated cases of one kabupaten; assign (one or several) or send back."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.models import Case
from casework.scoping import cases_for, get_in_scope_or_404
from casework.services.cases import case_transition
from casework.services.errors import CaseConflict, CaseError
from escalation import selectors
from escalation.forms import AssignForm, BulkAssignForm, NoteForm
from escalation.policy import default_due_date
from escalation.services import BulkAssignFailed, cases_bulk_assign
from escalation.views.common import Failed, apply_field_errors, pokja_required, with_current_version

PAGE_SIZE = 100
# Up to 100 cards carry the same two forms: each is rendered once with this slot as its prefix
# (like a formset's empty_form), then the slot is replaced by each case's prefix.
PREFIX_SLOT = "__prefix__"


def _prefix(case_id: int) -> str:
    return f"c{case_id}"


def _inbox_url(kabupaten_id: int) -> str:
    return f"{reverse('escalation:inbox')}?kabupaten={kabupaten_id}"


def _assign_form(kabupaten_id: int, data=None, *, case: Case | None = None, due=None, choices=None,
                 prefix: str | None = None) -> AssignForm:
    """``choices``: the (opds, officers) querysets, built once when a page shows a form per case."""
    opds, officers = choices or (selectors.opds_of(kabupaten_id), selectors.officers_of(kabupaten_id))
    initial = {"expected_version": case.version, "due_date": due} if case else {"due_date": due}
    return AssignForm(data, initial=initial, prefix=_prefix(case.pk) if case else prefix, opds=opds, officers=officers)


def _send_back_form(case: Case | None, data=None, *, prefix: str | None = None) -> NoteForm:
    return NoteForm(data, initial={"expected_version": case.version} if case else {},
                    prefix=_prefix(case.pk) if case else prefix, note_label=_("Alasan pengembalian ke kecamatan"))


def _render(request: HttpRequest, kabupaten, *, failed: Failed | None = None, bulk_form: BulkAssignForm | None = None,
            bulk_failures=None, status: int = 200) -> HttpResponse:
    now = timezone.now()
    qs = selectors.inbox_cases(request.user, kabupaten.pk)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    cases = selectors.annotate_waiting(list(page.object_list), now=now)
    due = default_due_date(kabupaten.pk)
    choices = (selectors.opds_of(kabupaten.pk), selectors.officers_of(kabupaten.pk))
    for case in cases:
        case.prefix = _prefix(case.pk)
        # Set, not absent: a template lookup of a missing attribute costs a dir() of the model instance.
        case.failed = case.assign_form = case.send_back_form = None
        # Unchanged forms are one blank rendering with the case's prefix put in (below); only a
        # refused form, shown again with what was typed, is a form of its own.
        if failed and failed.case_id == case.pk:
            case.assign_form = _assign_form(kabupaten.pk, case=case, due=due, choices=choices)
            case.send_back_form = _send_back_form(case)
            setattr(case, f"{failed.action}_form", failed.form)
            case.failed = failed
    failed_elsewhere = failed if failed and failed.case_id not in {c.pk for c in cases} else None
    if failed_elsewhere and failed_elsewhere.current is None:
        failed_elsewhere.current = cases_for(request.user).select_related("opd", "desa").filter(
            pk=failed.case_id).first()
    bulk_failures = bulk_failures or []
    failed_states = {c.pk: c for c in cases_for(request.user).filter(pk__in=[pk for pk, _m in bulk_failures])
                     .select_related("desa")}
    context = {
        "kabupaten": kabupaten,
        "kabupaten_list": selectors.pokja_kabupaten_list(request.user),
        "page": page,
        "groups": selectors.group_inbox(cases),
        "opds": list(choices[0]),
        "officers": list(choices[1]),
        "default_due": due,
        "option_cache": {},  # the assign forms' option lists, rendered once per page (select_options)
        "failed_elsewhere": failed_elsewhere,
        "bulk_form": bulk_form or BulkAssignForm(initial={"due_date": due}, opds=choices[0], officers=choices[1]),
        "bulk_selected": {str(v) for v in (bulk_form.data.getlist("cases") if bulk_form is not None else [])},
        "bulk_failures": [(pk, message, failed_states.get(pk)) for pk, message in bulk_failures],
    }
    if cases:
        fields = {"opds": context["opds"], "officers": context["officers"], "option_cache": context["option_cache"],
                  "default_due": due}
        context["blank_assign_fields"] = render_to_string("escalation/_assign_fields.html", {
            **fields, "f": _assign_form(kabupaten.pk, due=due, choices=choices, prefix=PREFIX_SLOT), "fid": PREFIX_SLOT})
        context["blank_send_back_fields"] = render_to_string(
            "escalation/_send_back_fields.html", {"f": _send_back_form(None, prefix=PREFIX_SLOT)})
    return render(request, "escalation/inbox.html", context, status=status)


@pokja_required
def inbox(request: HttpRequest) -> HttpResponse:
    kabupaten = selectors.chosen_kabupaten(request.user, request.GET.get("kabupaten"))
    if kabupaten is None:
        raise Http404
    return _render(request, kabupaten)


def _escalated_case(request: HttpRequest, pk: int) -> Case:
    # Scope first: a case of another kabupaten is a 404 whatever its state.
    return get_in_scope_or_404(cases_for(request.user).select_related("kabupaten"), pk=pk)


def _refused(request, case: Case, action: str, form, exc: CaseError, make_form) -> HttpResponse:
    """Show the inbox again with the refused form, what was typed, and the case's current state."""
    conflict = isinstance(exc, CaseConflict)
    current = getattr(exc, "current", None)
    if conflict and current is not None:
        form = make_form(with_current_version(request.POST, form.prefix, current.version))
        form.is_valid()
    apply_field_errors(form, exc.field_errors)
    failed = Failed(case_id=case.pk, action=action, form=form, message=exc.message, conflict=conflict,
                    current=current)
    return _render(request, case.kabupaten, failed=failed, status=409 if conflict else 400)


@require_POST
@pokja_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _escalated_case(request, pk)

    def make_form(data):
        return _assign_form(case.kabupaten_id, data, case=case)

    form = make_form(request.POST)
    if not form.is_valid():
        failed = Failed(case_id=case.pk, action="assign", form=form, message=_("Periksa kembali isian berikut."))
        return _render(request, case.kabupaten, failed=failed, status=400)
    data = form.cleaned_data
    try:
        case = case_transition(user=request.user, case_id=case.pk, action="assign",
                               expected_version=data["expected_version"], note=data["note"], opd=data["opd"],
                               due_date=data["due_date"], assignee=data["assignee"])
    except CaseError as exc:
        return _refused(request, case, "assign", form, exc, make_form)
    messages.success(request, _("Kasus %(number)s ditugaskan ke %(opd)s, batas waktu %(due)s.")
                     % {"number": case.number, "opd": case.opd.short_name, "due": date_format(case.due_date, "j F Y")})
    return redirect(_inbox_url(case.kabupaten_id))


@require_POST
@pokja_required
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    case = _escalated_case(request, pk)

    def make_form(data):
        return _send_back_form(case, data)

    form = make_form(request.POST)
    if not form.is_valid():
        failed = Failed(case_id=case.pk, action="send_back", form=form, message=_("Periksa kembali isian berikut."))
        return _render(request, case.kabupaten, failed=failed, status=400)
    try:
        case = case_transition(user=request.user, case_id=case.pk, action="send_back",
                               expected_version=form.cleaned_data["expected_version"], note=form.cleaned_data["note"])
    except CaseError as exc:
        return _refused(request, case, "send_back", form, exc, make_form)
    messages.success(request, _("Kasus %(number)s dikembalikan ke kecamatan %(kec)s.")
                     % {"number": case.number, "kec": case.kecamatan.name})
    return redirect(_inbox_url(case.kabupaten_id))


@require_POST
@pokja_required
def bulk_assign(request: HttpRequest) -> HttpResponse:
    kabupaten = selectors.chosen_kabupaten(request.user, request.POST.get("kabupaten"))
    if kabupaten is None:
        raise Http404
    # Any id may be posted; the service refuses what is out of scope or not escalated.
    posted_ids = [int(v) for v in request.POST.getlist("cases") if str(v).isdigit()]
    form = BulkAssignForm(request.POST, case_ids=posted_ids, opds=selectors.opds_of(kabupaten.pk),
                          officers=selectors.officers_of(kabupaten.pk))
    if not form.is_valid():
        messages.error(request, _("Periksa kembali isian penugasan massal."))
        return _render(request, kabupaten, bulk_form=form, status=400)
    data = form.cleaned_data
    try:
        done = cases_bulk_assign(user=request.user, items=form.versions(request.POST), opd=data["opd"],
                                 due_date=data["due_date"], assignee=data["assignee"], note=data["note"])
    except BulkAssignFailed as exc:
        messages.error(request, exc.message)
        return _render(request, kabupaten, bulk_form=form, bulk_failures=exc.failures, status=409)
    except CaseError as exc:
        messages.error(request, exc.message)
        return _render(request, kabupaten, bulk_form=form, status=400)
    messages.success(request, _("%(n)d kasus ditugaskan ke %(opd)s.") % {"n": len(done), "opd": data["opd"].short_name})
    return redirect(_inbox_url(kabupaten.pk))
