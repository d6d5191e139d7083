"""A form renderer that writes ``<select>`` widgets in Python, for forms with long option lists.

Django renders a select through templates: ``select.html`` includes
``select_option.html`` for every option, at ~30 µs an include. The case list's
filters hold a few hundred options (every desa of a kabupaten; every kabupaten
and OPD for the programme admin): the admin's 520 options took 17 ms that way,
2.5 ms here. ``SelectRenderer`` writes the same markup as those two templates
(tests/casework/test_case_pages_speed.py compares them) and hands every other
template to the project's usual form renderer.
"""
from __future__ import annotations

from django.forms.renderers import BaseRenderer, get_default_renderer
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"

# What {{ value }} needs from a context: autoescape on, the settings' time zone and localisation.
_PLAIN = Context()


def _stringformat(value) -> str:
    """``{{ value|stringformat:'s' }}``: the value as text, escaped unless it was already safe."""
    text = "%s" % (value,)
    return mark_safe(text) if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}" if value is True
                   else f' {conditional_escape(name)}="{_stringformat(value)}"')
    return "".join(out)


def select_html(widget: dict) -> str:
    """The markup of ``select.html`` and ``select_option.html`` for a widget context."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{render_value_in_context(group_name, _PLAIN)}">')
        for option in group_choices:
            # select_option.html ends with a newline, which the include keeps.
            parts.append(f'\n  <option value="{_stringformat(option["value"])}"{_attrs(option["attrs"])}>'
                         f'{render_value_in_context(option["label"], _PLAIN)}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class SelectRenderer(BaseRenderer):
    """The default form renderer, except that ``<select>`` widgets are written by ``select_html``."""

    def get_template(self, template_name):
        return get_default_renderer().get_template(template_name)

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT_TEMPLATE else None
        if widget is not None and all(option["template_name"] == OPTION_TEMPLATE
                                      for _name, options, _index in widget["optgroups"] for option in options):
            return select_html(widget)
        return get_default_renderer().render(template_name, context, request=request)


SELECT_RENDERER = SelectRenderer()
