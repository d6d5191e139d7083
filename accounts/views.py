"""The home page (each role sees its own scope and what needs its attention), the login lockout
page and the password change pages."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.forms import PasswordChangeForm
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


# --- Login lockout and password change ----------------------------------------------------------

def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """Shown by django-axes instead of the login page once a username+address is locked out.

    429 (Too Many Requests) so that monitoring and scripts see the refusal; the page says in
    Bahasa Indonesia how long to wait and whom to ask.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/lockout.html", context, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own view: checks the old password, runs AUTH_PASSWORD_VALIDATORS, and keeps this
    session while every other session of the user ends (the session hash changes)."""

    template_name = "registration/password_change_form.html"
    form_class = PasswordChangeForm


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
