"""The one place that decides which records a user may see.

Every view, export, import and task that reads or changes regions, plans,
meetings or cases starts from a queryset returned here. Out-of-scope records
are simply absent, so a guessed id in a URL is a 404, never a 403 that would
confirm the id exists.
"""
from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from casework.models import Case, Desa, Kabupaten, Kecamatan, Meeting, Plan


def _none_if_anonymous(user: Any) -> bool:
    return user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True)


def _is_admin(user: Any) -> bool:
    return bool(user.is_superuser or user.role == "admin")


def _region_filter(user: Any, *, kab: str, kec: str) -> Q | None:
    """Q object restricting a model to the user's area; None means everything; Q(pk__in=[]) nothing."""
    if _is_admin(user):
        return None
    if user.role == "kecamatan" and user.kecamatan_id:
        return Q(**{kec: user.kecamatan_id})
    if user.role == "pokja" and user.kabupaten_id:
        return Q(**{kab: user.kabupaten_id})
    if user.role == "opd" and user.opd_id:
        return Q(**{kab: user.opd.kabupaten_id})
    return Q(pk__in=[])


def _scoped(qs: QuerySet, user: Any, *, kab: str, kec: str) -> QuerySet:
    if _none_if_anonymous(user):
        return qs.none()
    condition = _region_filter(user, kab=kab, kec=kec)
    return qs if condition is None else qs.filter(condition)


def kabupaten_for(user: Any) -> QuerySet[Kabupaten]:
    return _scoped(Kabupaten.objects.all(), user, kab="pk", kec="kecamatan__pk")


def kecamatan_for(user: Any) -> QuerySet[Kecamatan]:
    return _scoped(Kecamatan.objects.select_related("kabupaten"), user, kab="kabupaten_id", kec="pk")


def desa_for(user: Any) -> QuerySet[Desa]:
    return _scoped(Desa.objects.select_related("kecamatan__kabupaten"), user,
                   kab="kecamatan__kabupaten_id", kec="kecamatan_id")


def plans_for(user: Any) -> QuerySet[Plan]:
    return _scoped(Plan.objects.select_related("desa__kecamatan__kabupaten"), user,
                   kab="desa__kecamatan__kabupaten_id", kec="desa__kecamatan_id")


def meetings_for(user: Any) -> QuerySet[Meeting]:
    """Meetings are the kecamatan's own work; the Pokja and the admin may read them, OPDs may not."""
    if not _none_if_anonymous(user) and user.role == "opd" and not user.is_superuser:
        return Meeting.objects.none()
    return _scoped(Meeting.objects.select_related("kecamatan__kabupaten"), user,
                   kab="kecamatan__kabupaten_id", kec="kecamatan_id")


def cases_for(user: Any) -> QuerySet[Case]:
    """Cases this user may see: their kecamatan's, their kabupaten's, or those assigned to their OPD."""
    qs = Case.objects.all()
    if _none_if_anonymous(user):
        return qs.none()
    if _is_admin(user):
        return qs
    if user.role == "kecamatan" and user.kecamatan_id:
        return qs.filter(kecamatan_id=user.kecamatan_id)
    if user.role == "pokja" and user.kabupaten_id:
        return qs.filter(kabupaten_id=user.kabupaten_id)
    if user.role == "opd" and user.opd_id:
        return qs.filter(opd_id=user.opd_id)
    return qs.none()


def cases_nationwide() -> QuerySet[Case]:
    """Every case, for system jobs whose results only the programme admin sees (the national dashboard)."""
    return Case.objects.all()


def meetings_nationwide() -> QuerySet[Meeting]:
    """Every meeting, for the same system jobs as ``cases_nationwide``."""
    return Meeting.objects.select_related("kecamatan__kabupaten")


def lessons_for(user: Any) -> QuerySet[Case]:
    """Cases whose obstacle and solution may be *shown as a lesson* (not opened): the whole kabupaten.

    Sharing lessons between villages is the point of the meeting, so a kecamatan
    officer sees other kecamatan's obstacles and what solved them, read-only and
    without links into cases outside their scope.
    """
    if _none_if_anonymous(user):
        return Case.objects.none()
    if _is_admin(user):
        return Case.objects.all()
    kab_id = user.home_kabupaten_id
    return Case.objects.filter(kabupaten_id=kab_id) if kab_id else Case.objects.none()


def get_in_scope_or_404(queryset: QuerySet, **lookup: Any) -> Model:
    """Fetch one record from an already-scoped queryset; absent or out of scope is a 404 either way."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
