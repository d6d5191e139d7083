"""The home page: each role sees its own scope and what needs its attention."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from casework import selectors
from casework.scoping import desa_for, kabupaten_for, kecamatan_for, meetings_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "scope_label": user.scope_label(),
        "counts": selectors.case_counts_by_state(user),
        "overdue_count": selectors.overdue_count(user),
    }
    if user.role == "kecamatan" and not user.is_superuser:
        context["desa_list"] = selectors.desa_with_plans(user)
        context["meetings"] = meetings_for(user).order_by("-date")[:5]
        template = "accounts/home_kecamatan.html"
    elif user.role == "opd" and not user.is_superuser:
        context["opd"] = user.opd
        template = "accounts/home_opd.html"
    elif user.role == "pokja" and not user.is_superuser:
        context["kabupaten"] = user.kabupaten
        context["kecamatan_list"] = selectors.kecamatan_summary(user)
        template = "accounts/home_pokja.html"
    else:
        context["kabupaten_list"] = kabupaten_for(user).select_related("province")
        context["kecamatan_count"] = kecamatan_for(user).count()
        context["desa_count"] = desa_for(user).count()
        template = "accounts/home_admin.html"
    return render(request, template, context)
