from __future__ import annotations

from django import template

from escalation.links import case_detail_url, case_list_url

register = template.Library()


@register.simple_tag
def case_list(**filters) -> str:
    """{% case_list opd=opd.pk overdue=1 %} → the case list URL with those filters."""
    return case_list_url(**filters)


@register.filter
def case_url(case) -> str:
    return case_detail_url(case.pk)


@register.filter
def field_value(form, name):
    """The value a form shows for ``name`` (typed data when bound, else initial), as a string."""
    value = form[name].value()
    return "" if value is None else str(value)


@register.filter
def field_errors(form, name):
    return form.errors.get(name, [])


@register.filter
def days(value):
    """A number of days with one decimal, or an em dash when unknown."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",")


@register.filter
def deadline_day(case) -> str:
    """The last local day of a case's deadline (deadline_at is the midnight that ends it), e.g. "28 Maret 2024"."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    if not case.deadline_at:
        return "—"
    moment = case.deadline_at - timedelta(microseconds=1)
    from django.utils.dateformat import format as date_format

    return date_format(moment.astimezone(ZoneInfo(case.kabupaten.timezone)).date(), "j F Y")
