"""Dashboards for the Pokja chair (one kabupaten) and the programme admin (everything, or one kabupaten)."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import CaseState
from escalation import selectors
from escalation.charts import Bar, bar_chart
from escalation.dashboard import MEASURED_STATES, TOP, dashboard_data, national_dashboard
from escalation.links import case_list_url
from escalation.views.common import pokja_required


@pokja_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    options = selectors.pokja_kabupaten_list(user)
    if user.is_programme_admin:
        requested = request.GET.get("kabupaten") or ""
        kabupaten = options.filter(pk=int(requested)).first() if requested.isdigit() else None
    else:
        kabupaten = selectors.chosen_kabupaten(user, None)
    national = kabupaten is None and user.is_programme_admin
    if national:
        data = national_dashboard(user, now=timezone.now())
    else:
        data = dashboard_data(user, kabupaten_id=kabupaten.pk if kabupaten else None, now=timezone.now())
    many_kab = kabupaten is None
    # The case list is scoped to the user; for the admin looking at one kabupaten we also pass ``kabupaten``.
    kab = {"kabupaten": kabupaten.pk} if kabupaten and user.is_programme_admin else {}

    def where(name, kabupaten_name):
        return f"{name} ({kabupaten_name})" if many_kab and kabupaten_name else name

    state_chart = bar_chart(
        [Bar(CaseState(s).label, n, case_list_url(state=s, **kab), css=f"state-{s}") for s, n in data["by_state"].items()],
        title=_("Kasus terbuka menurut status"), desc=_("Jumlah kasus terbuka pada setiap status."))
    if data["area"] == "kabupaten":
        area_bars = [Bar(r["name"], r["n"], case_list_url(kabupaten=r["id"], state="open")) for r in data["by_area"]]
        area_title = _("Kasus terbuka menurut kabupaten")
    else:
        area_bars = [Bar(where(r["name"], r["kabupaten"]), r["n"], case_list_url(kecamatan=r["id"], state="open"))
                     for r in data["by_area"]]
        area_title = _("Kasus terbuka menurut kecamatan")
    area_chart = bar_chart(area_bars, title=area_title, empty_text=_("Tidak ada kasus terbuka."))
    overdue_bars = [Bar(where(r["short_name"], r["kabupaten"]), r["n"], case_list_url(opd=r["opd_id"], overdue=1),
                        css="chart-bad") for r in data["overdue_by_opd"]]
    overdue_bars += [Bar(_("Belum di OPD: %(state)s") % {"state": CaseState(s).label}, n,
                         case_list_url(state=s, overdue=1, **kab), css="chart-bad")
                     for s, n in sorted(data["overdue_without_opd"].items())]
    overdue_chart = bar_chart(overdue_bars, title=_("Kasus melewati tenggat menurut OPD"),
                              empty_text=_("Tidak ada kasus yang melewati tenggat."))
    carried_chart = bar_chart(
        [Bar(f"{r['meeting__kecamatan__name']} {r['meeting__date']:%d-%m-%Y}", r["n"],
             case_list_url(meeting=r["meeting_id"])) for r in data["carried_by_meeting"]],
        title=_("Kasus yang dibawa ke pertemuan berikutnya"),
        desc=_("Jumlah kasus yang ditinjau ulang pada setiap pertemuan kecamatan."),
        empty_text=_("Belum ada kasus yang dibawa ke pertemuan berikutnya."))
    return render(request, "escalation/dashboard.html", {
        **data, "kabupaten": kabupaten, "kabupaten_list": options, "is_admin": user.is_programme_admin,
        "state_chart": state_chart, "area_chart": area_chart, "area_title": area_title,
        "overdue_chart": overdue_chart, "carried_chart": carried_chart, "national": national, "top": TOP,
        "measured_states": [(s.value, s.label) for s in MEASURED_STATES],
        "overdue_link": case_list_url(overdue=1, **kab), "open_link": case_list_url(state="open", **kab),
    })
