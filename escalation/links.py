"""Links into the case list and case detail pages (owned by casework), with the list's GET filters."""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse


# Our names for the case list's filters → the GET parameters its filter form reads (casework.forms.CaseFilterForm).
PARAMS = {"state": "status", "overdue": "terlambat", "meeting": "pertemuan"}
TRUE = "on"  # what the list's checkbox sends


def case_list_url(**filters) -> str:
    """``casework:case_list`` with the given filters (state, desa, kecamatan, opd, overdue, meeting, q)."""
    filters = {PARAMS.get(k, k): (TRUE if k == "overdue" and v else v) for k, v in filters.items()}
    try:
        base = reverse("casework:case_list")
    except NoReverseMatch:  # the case pages are built in parallel; the path is agreed
        base = "/kasus/"
    query = urlencode({k: v for k, v in filters.items() if v not in (None, "", False)})
    return f"{base}?{query}" if query else base


def case_detail_url(pk: int) -> str:
    try:
        return reverse("casework:case_detail", args=[pk])
    except NoReverseMatch:
        return f"/kasus/{pk}/"
