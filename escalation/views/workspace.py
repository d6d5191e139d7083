"""The OPD officer's workspace: only their agency's cases; acknowledge, update, resolve or return."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework.models import Case
from casework.scoping import cases_for, get_in_scope_or_404
from casework.services.cases import case_acknowledge, case_add_progress, case_transition
from casework.services.errors import CaseConflict, CaseError
from escalation import selectors
from escalation.forms import AcknowledgeForm, NoteForm, ProgressForm
from escalation.links import case_detail_url
from escalation.views.common import Failed, apply_field_errors, opd_required, with_current_version

NOTE_LABELS = {
    "resolve": gettext_lazy("Apa yang telah dilakukan"),
    "return": gettext_lazy("Alasan: mengapa ini bukan wewenang OPD Anda"),
}
ACTIONS = ("acknowledge", "progress", "resolve", "return")
FORMS = {"acknowledge": AcknowledgeForm, "progress": ProgressForm, "resolve": NoteForm, "return": NoteForm}


def _prefix(case: Case) -> str:
    """The prefix of a card's field names: the page holds the forms of up to 400 cases."""
    return f"c{case.pk}"


def _form_for(case: Case, action: str, data) -> AcknowledgeForm | ProgressForm | NoteForm:
    kwargs = {"prefix": _prefix(case)}
    if action != "progress":
        kwargs["initial"] = {"expected_version": case.version}
    if action in NOTE_LABELS:
        kwargs["note_label"] = NOTE_LABELS[action]
    return FORMS[action](data, **kwargs)


class _Placeholder:
    """A URL reversed once per page with a placeholder id and filled in per card: six reverse() calls per card
    added up on sections of up to 100 cards."""

    ID = 2147483647

    def __init__(self, url: str):
        self.head, self.tail = url.split(str(self.ID), 1)

    def fill(self, pk: int) -> str:
        return f"{self.head}{pk}{self.tail}"


class _FailedOnly(dict):
    """A card's bound forms: only the one whose POST failed. The template writes the others from the case."""

    def __missing__(self, action):
        return None


NO_FAILED_FORM = _FailedOnly()


def _choice_labels(field_name: str) -> dict[str, str]:
    """A case field's choice labels, translated once per page (``get_FOO_display`` rebuilds the choices per call)."""
    return {value: str(label) for value, label in Case._meta.get_field(field_name).flatchoices}


def _prepare_cards(cases: list[Case], failed: Failed | None) -> None:
    """What each card shows, computed once per page rather than by tags, filters and forms per card."""
    detail = _Placeholder(case_detail_url(_Placeholder.ID))
    acts = {action: _Placeholder(reverse("escalation:workspace_act", args=[_Placeholder.ID, action]))
            for action in ACTIONS}
    states, deadline_kinds = _choice_labels("state"), _choice_labels("deadline_kind")
    for case in cases:
        case.detail_url = detail.fill(case.pk)
        case.act_urls = {action: url.fill(case.pk) for action, url in acts.items()}
        case.state_label = states.get(case.state, case.state)
        case.deadline_kind_label = deadline_kinds.get(case.deadline_kind, case.deadline_kind)
        # Strings, not numbers: the template would localize each of a card's dozen ids and versions.
        case.prefix, case.expected_version = _prefix(case), str(case.version)
        case.forms, case.failed = NO_FAILED_FORM, None
        if failed and failed.case_id == case.pk:
            case.forms, case.failed = _FailedOnly({failed.action: failed.form}), failed


def _render(request: HttpRequest, *, failed: Failed | None = None, status: int = 200) -> HttpResponse:
    workspace = selectors.opd_workspace(request.user, now=timezone.now())
    cases = workspace.new + workspace.in_progress + workspace.overdue + workspace.resolved
    _prepare_cards(cases, failed)
    failed_elsewhere = failed if failed and failed.case_id not in {case.pk for case in cases} else None
    # The note fields' labels as the forms give them, translated once per page.
    note_labels = {action: str(label) for action, label in
                   {"progress": ProgressForm.base_fields["note"].label, **NOTE_LABELS}.items()}
    context = {"ws": workspace, "opd": request.user.opd, "failed_elsewhere": failed_elsewhere,
               "note_labels": note_labels}
    return render(request, "escalation/workspace.html", context, status=status)


@opd_required
def workspace(request: HttpRequest) -> HttpResponse:
    return _render(request)


@require_POST
@opd_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    # Another agency's case, or another kabupaten's, is not in scope: 404 before anything else.
    case = get_in_scope_or_404(cases_for(request.user), pk=pk)
    form = _form_for(case, action, request.POST)
    if not form.is_valid():
        return _render(request, failed=Failed(case.pk, action, form, _("Periksa kembali isian berikut.")), status=400)
    data = form.cleaned_data
    user = request.user
    try:
        if action == "acknowledge":
            case_acknowledge(user=user, case_id=case.pk, expected_version=data["expected_version"], note=data["note"])
            done = _("Kasus %(number)s diterima.")
        elif action == "progress":
            case_add_progress(user=user, case_id=case.pk, note=data["note"])
            done = _("Perkembangan kasus %(number)s dicatat.")
        elif action == "resolve":
            case_transition(user=user, case_id=case.pk, action="resolve", expected_version=data["expected_version"],
                            note=data["note"])
            done = _("Kasus %(number)s ditandai selesai; menunggu konfirmasi di pertemuan kecamatan.")
        else:
            case_transition(user=user, case_id=case.pk, action="return_case",
                            expected_version=data["expected_version"], note=data["note"])
            done = _("Kasus %(number)s dikembalikan ke Pokja.")
    except CaseError as exc:
        conflict = isinstance(exc, CaseConflict)
        current = getattr(exc, "current", None)
        if conflict and current is not None:
            form = _form_for(case, action, with_current_version(request.POST, form.prefix, current.version))
            form.is_valid()
        apply_field_errors(form, exc.field_errors)
        failed = Failed(case.pk, action, form, exc.message, conflict=conflict, current=current or case)
        return _render(request, failed=failed, status=409 if conflict else 400)
    messages.success(request, done % {"number": case.number})
    return redirect(reverse("escalation:workspace"))
