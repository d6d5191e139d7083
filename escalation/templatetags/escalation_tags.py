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


def _option_label(kind: str, obj) -> str:
    if kind == "opds":
        return f"{obj.short_name} — {obj.name}"
    return f"{obj.opd.short_name} · {obj.get_full_name() or obj.username}"


@register.simple_tag(takes_context=True)
def select_options(context, kind: str, chosen: str = ""):
    """The <option>s of the assign form's OPD ("opds") or officer ("officers") list, ``chosen`` selected.

    The Pokja inbox shows one assign form per case (up to 100 per page), all with
    the same lists: each list is rendered once per (kind, chosen) and reused,
    through the ``option_cache`` dict the view puts in the context.
    """
    from django.utils.html import format_html, format_html_join
    from django.utils.safestring import mark_safe

    cache = context.get("option_cache")
    key = (kind, chosen or "")
    if cache is not None and key in cache:
        return cache[key]
    selected = mark_safe(" selected")  # noqa: S308 - a constant
    html = format_html_join("", '<option value="{}"{}>{}</option>', (
        (obj.pk, selected if str(obj.pk) == key[1] else "", _option_label(kind, obj)) for obj in context.get(kind, ())))
    html = format_html("{}", html)
    if cache is not None:
        cache[key] = html
    return html


@register.simple_tag
def errors_of(form, name: str = ""):
    """The error list of one field (or, without a name, the form's own errors) as <ul class="errorlist">.

    A tag rather than an included template: the Pokja inbox and the OPD workspace
    show several fields on up to 100 cards, and an include per field cost more
    than the rest of the card.
    """
    from django.utils.html import format_html, format_html_join

    errors = form.errors.get(name, []) if name else form.non_field_errors()
    if not errors:
        return ""
    return format_html('<ul class="errorlist">{}</ul>', format_html_join("", "<li>{}</li>", ((e,) for e in errors)))


@register.filter
def with_prefix(html, prefix):
    """A form rendered once with the prefix slot ``__prefix__`` (the Pokja inbox), for one case's prefix."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    return mark_safe(str(html).replace("__prefix__", str(conditional_escape(prefix))))  # noqa: S308 - html is rendered
