"""Preparing the Pokja coordination meeting (Rakor): what each OPD holds, on screen and on paper."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.services.errors import CaseError
from escalation import selectors
from escalation.forms import RakorForm
from escalation.models import Rakor
from escalation.services import rakor_record
from escalation.views.common import apply_field_errors, pokja_required


def _context(request: HttpRequest, kabupaten, *, with_cases: bool) -> dict:
    rows, since, last = selectors.rakor_summary(request.user, kabupaten, now=timezone.now(), with_cases=with_cases)
    return {
        "kabupaten": kabupaten, "kabupaten_list": selectors.pokja_kabupaten_list(request.user),
        "rows": rows, "since": since, "last_rakor": last,
        "totals": {k: sum(getattr(r, k) for r in rows) for k in ("open", "overdue", "resolved_since")},
        "rakor_list": Rakor.objects.filter(kabupaten=kabupaten)[:10],
        "today": timezone.localdate(),
    }


def _kabupaten(request: HttpRequest, source):
    kabupaten = selectors.chosen_kabupaten(request.user, source.get("kabupaten"))
    if kabupaten is None:
        raise Http404
    return kabupaten


@pokja_required
def rakor(request: HttpRequest) -> HttpResponse:
    kabupaten = _kabupaten(request, request.GET)
    return render(request, "escalation/rakor.html", {**_context(request, kabupaten, with_cases=False),
                                                     "form": RakorForm()})


@pokja_required
def rakor_print(request: HttpRequest) -> HttpResponse:
    kabupaten = _kabupaten(request, request.GET)
    return render(request, "escalation/rakor_print.html", _context(request, kabupaten, with_cases=True))


@require_POST
@pokja_required
def rakor_create(request: HttpRequest) -> HttpResponse:
    kabupaten = _kabupaten(request, request.POST)
    form = RakorForm(request.POST)
    if form.is_valid():
        try:
            rakor_record(user=request.user, kabupaten_id=kabupaten.pk, day=form.cleaned_data["date"],
                         notes=form.cleaned_data["notes"])
        except CaseError as exc:
            apply_field_errors(form, exc.field_errors)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Tanggal Rakor dicatat."))
            return redirect(f"{reverse('escalation:rakor')}?kabupaten={kabupaten.pk}")
    else:
        messages.error(request, _("Periksa kembali isian berikut."))
    return render(request, "escalation/rakor.html", {**_context(request, kabupaten, with_cases=False), "form": form},
                  status=400)
