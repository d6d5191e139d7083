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
from escalation.views.common import Failed, apply_field_errors, opd_required, with_current_version

NOTE_LABELS = {
    "resolve": gettext_lazy("Apa yang telah dilakukan"),
    "return": gettext_lazy("Alasan: mengapa ini bukan wewenang OPD Anda"),
}
ACTIONS = ("acknowledge", "progress", "resolve", "return")


def _forms_for(case: Case, data=None, only: str | None = None) -> dict:
    prefix = f"c{case.pk}"
    initial = {"expected_version": case.version}
    makers = {
        "acknowledge": lambda d: AcknowledgeForm(d, initial=initial, prefix=prefix),
        "progress": lambda d: ProgressForm(d, prefix=prefix),
        "resolve": lambda d: NoteForm(d, initial=initial, prefix=prefix, note_label=NOTE_LABELS["resolve"]),
        "return": lambda d: NoteForm(d, initial=initial, prefix=prefix, note_label=NOTE_LABELS["return"]),
    }
    if only:
        return {only: makers[only](data)}
    return {name: make(None) for name, make in makers.items()}


def _render(request: HttpRequest, *, failed: Failed | None = None, status: int = 200) -> HttpResponse:
    workspace = selectors.opd_workspace(request.user, now=timezone.now())
    shown = set()
    for section in (workspace.new, workspace.in_progress, workspace.overdue, workspace.resolved):
        for case in section:
            case.forms = _forms_for(case)
            shown.add(case.pk)
            if failed and failed.case_id == case.pk:
                case.forms[failed.action] = failed.form
                case.failed = failed
    failed_elsewhere = failed if failed and failed.case_id not in shown else None
    context = {"ws": workspace, "opd": request.user.opd, "failed_elsewhere": failed_elsewhere}
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
    form = _forms_for(case, request.POST, only=action)[action]
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
            form = _forms_for(case, with_current_version(request.POST, form.prefix, current.version), only=action)[action]
            form.is_valid()
        apply_field_errors(form, exc.field_errors)
        failed = Failed(case.pk, action, form, exc.message, conflict=conflict, current=current or case)
        return _render(request, failed=failed, status=409 if conflict else 400)
    messages.success(request, done % {"number": case.number})
    return redirect(reverse("escalation:workspace"))
