"""The deadline policy page and the holiday calendar of a kabupaten (Pokja chair and admin)."""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.services.errors import CaseError
from escalation import selectors
from escalation.forms import HolidayForm, PolicyForm
from escalation.models import Holiday, PolicyChange
from escalation.policy import policy_for
from escalation.services import holiday_add, holiday_remove, policy_update
from escalation.views.common import apply_field_errors, pokja_required


def _kabupaten(request: HttpRequest, source) -> object:
    kabupaten = selectors.chosen_kabupaten(request.user, source.get("kabupaten"))
    if kabupaten is None:
        raise Http404
    return kabupaten


@pokja_required
def policy_edit(request: HttpRequest) -> HttpResponse:
    kabupaten = _kabupaten(request, request.POST if request.method == "POST" else request.GET)
    policy = policy_for(kabupaten.pk)
    status = 200
    if request.method == "POST":
        form = PolicyForm(request.POST, instance=policy_for(kabupaten.pk))
        if form.is_valid():
            try:
                _policy, changed = policy_update(user=request.user, kabupaten_id=kabupaten.pk,
                                                 values=form.cleaned_data)
            except CaseError as exc:
                apply_field_errors(form, exc.field_errors)
                messages.error(request, exc.message)
                status = 400
            else:
                messages.success(request, _("Kebijakan tenggat disimpan. Tenggat kasus terbuka sedang dihitung ulang.")
                                 if changed else _("Tidak ada nilai yang berubah."))
                return redirect(f"{reverse('escalation:policy')}?kabupaten={kabupaten.pk}")
        else:
            messages.error(request, _("Periksa kembali isian berikut."))
            status = 400
    else:
        form = PolicyForm(instance=policy)
    history = PolicyChange.objects.filter(kabupaten=kabupaten).select_related("changed_by")[:20]
    return render(request, "escalation/policy.html", {
        "kabupaten": kabupaten, "kabupaten_list": selectors.pokja_kabupaten_list(request.user),
        "form": form, "policy": policy, "history": history,
    }, status=status)


def _holiday_page(request: HttpRequest, kabupaten, *, form: HolidayForm | None = None, status: int = 200):
    try:
        year = int(request.GET.get("tahun") or request.POST.get("tahun") or 0)
    except ValueError:
        year = 0
    year = year or timezone.localdate().year
    rows = (Holiday.objects.filter(Q(kabupaten__isnull=True) | Q(kabupaten=kabupaten), date__year=year)
            .select_related("kabupaten").order_by("date", "kabupaten_id"))
    return render(request, "escalation/holidays.html", {
        "kabupaten": kabupaten, "kabupaten_list": selectors.pokja_kabupaten_list(request.user),
        "year": year, "years": range(year - 1, year + 3), "holidays": rows,
        "form": form or HolidayForm(), "can_edit_national": request.user.is_programme_admin,
    }, status=status)


@pokja_required
def holidays(request: HttpRequest) -> HttpResponse:
    return _holiday_page(request, _kabupaten(request, request.GET))


@require_POST
@pokja_required
def holiday_create(request: HttpRequest) -> HttpResponse:
    kabupaten = _kabupaten(request, request.POST)
    form = HolidayForm(request.POST)
    if form.is_valid():
        national = form.cleaned_data["national"]
        try:
            holiday = holiday_add(user=request.user, kabupaten_id=None if national else kabupaten.pk,
                                  day=form.cleaned_data["date"], name=form.cleaned_data["name"])
        except CaseError as exc:
            apply_field_errors(form, exc.field_errors)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Hari libur %(date)s ditambahkan.") % {"date": date_format(holiday.date, "j F Y")})
            return redirect(f"{reverse('escalation:holidays')}?kabupaten={kabupaten.pk}&tahun={holiday.date.year}")
    else:
        messages.error(request, _("Periksa kembali isian berikut."))
    return _holiday_page(request, kabupaten, form=form, status=400)


@require_POST
@pokja_required
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    kabupaten = _kabupaten(request, request.POST)
    # Only rows this page shows (national, or this kabupaten's own) may be addressed from it.
    if not Holiday.objects.filter(Q(kabupaten__isnull=True) | Q(kabupaten=kabupaten), pk=pk).exists():
        raise Http404
    try:
        holiday_remove(user=request.user, holiday_id=pk)
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Hari libur dihapus."))
    return redirect(f"{reverse('escalation:holidays')}?kabupaten={kabupaten.pk}&tahun={request.POST.get('tahun', '')}")
