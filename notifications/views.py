"""The notification centre and the notification settings page. Thin: services write, selectors read."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.forms import NotificationPreferencesForm
from notifications.models import NotificationKind


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("status") == "unread"
    kind = request.GET.get("kind", "")
    if kind not in NotificationKind.values:
        kind = ""
    page = Paginator(selectors.notification_list(request.user, unread_only=unread_only, kind=kind), 30).get_page(
        request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "unread_only": unread_only, "kind": kind, "kinds": NotificationKind.choices,
        "unread_total": selectors.unread_count_for(request.user),
    })


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    # Only a path on this site. redirect() would also try a view name, and any other text then raised
    # NoReverseMatch, a server error (found by tests/fuzz/test_form_fuzz.py).
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and go to what it is about (the case or the meeting)."""
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    return redirect(notification.target_url())


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.notification_mark_read(user=request.user, notification_id=pk)
    return _back(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifikasi ditandai sudah dibaca.") % {"count": count})
    return _back(request)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST)
        if form.is_valid():
            try:
                services.user_update_notification_preferences(user=user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("Pengaturan notifikasi disimpan."))
                return redirect("notifications:preferences")
        messages.error(request, _("Pengaturan belum disimpan. Periksa isian yang ditandai."))
    else:
        form = NotificationPreferencesForm(initial={"phone": user.phone, "notify_email": user.notify_email,
                                                    "notify_whatsapp": user.notify_whatsapp})
    return render(request, "notifications/preferences.html", {"form": form})
