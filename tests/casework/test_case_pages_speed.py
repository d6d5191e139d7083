"""The case pages' faster paths write exactly what the slower ones wrote.

- The timeline of the case page is built by ``casework_tags.timeline_items``
  instead of a template loop: its output is compared with that loop's.
- The case list's ``<select>`` filters are written by ``SelectRenderer`` instead
  of Django's widget templates: compared with Django's own rendering.
- The case page fetches its optional relations by id (not joined): the page
  still shows them, in the same number of queries whichever are set.
"""
from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django import forms
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from accounts.models import User
from casework.models import Case, CaseEvent, Meeting
from casework.services.cases import case_add_comment
from casework.views import select_renderer
from casework.views.select_renderer import SELECT_RENDERER
from tests.conftest import make_case, step

SELECT_HTML = select_renderer.select_html

# The loop case_detail.html had, verbatim: the reference the tag must reproduce.
TIMELINE_LOOP = """{% load i18n casework_tags %}{% for e in events %}
    <li class="event event-{{ e.kind }}">
      <div class="small muted"><time datetime="{{ e.at|date:'c' }}">{{ e.at|date:"j M Y H:i" }}</time> · {{ e.actor.get_full_name|default:e.actor.username|default:_("sistem") }}</div>
      <strong>{% if e.kind == "transition" %}{{ e.action|action_label }}: {{ e.from_state|state_label }} &rarr; {{ e.to_state|state_label }}{% elif e.kind == "review" %}{{ e.get_kind_display }}: {{ e.data.outcome|outcome_label }}{% else %}{{ e.get_kind_display }}{% endif %}</strong>
      {% if e.data.opd %}<span class="small"> · {{ e.data.opd }}, {% translate "batas" %} {{ e.data.due_date }}</span>{% endif %}
      {% if e.meeting_id %}<span class="small muted"> · {% translate "di pertemuan" %} {{ e.meeting.date|date:"j M Y" }}</span>{% endif %}
      {% if e.note %}<div>{{ e.note|linebreaksbr }}</div>{% endif %}
    </li>
  {% endfor %}"""  # noqa: E501
TIMELINE_TAG = "{% load casework_tags %}{% timeline_items events %}"


def _events() -> list[CaseEvent]:
    """Unsaved events covering every branch of the loop, with text that needs escaping."""
    named = User(username="siti<b>", first_name="Siti & Co", last_name="<Rahma>")
    unnamed = User(username="budi")
    nameless = User(username="")
    meeting = Meeting(pk=7, date=date(2024, 3, 5))
    at = datetime(2024, 12, 31, 17, 5, 9, 123456, tzinfo=dt_timezone.utc)  # a new day and year east of UTC
    rows = [
        dict(kind="created", actor=named, note="Baris satu\nbaris <dua> & tiga\r\nempat"),
        dict(kind="transition", actor=unnamed, action="assign", from_state="escalated", to_state="assigned",
             data={"opd": "Dinas <Pertanian>", "opd_id": 3, "due_date": "2025-01-20"}),
        dict(kind="transition", actor=unnamed, action="no_such_action", from_state="", to_state="weird"),
        dict(kind="transition", actor=nameless, action="resolve", from_state="assigned", to_state="resolved",
             data={"opd": 1234567, "due_date": 2.5}, meeting=meeting),
        dict(kind="review", actor=named, data={"outcome": "still_open"}, meeting=meeting, note="Ditinjau"),
        dict(kind="review", actor=named, data={}),
        dict(kind="review", actor=named, data=["outcome"]),
        dict(kind="progress", actor=unnamed, data="opd", note="<script>alert(1)</script>"),
        dict(kind="comment", actor=named, data={"opd": ""}),
        dict(kind="edited", actor=named, data={"changed": ["obstacle"]}),
        dict(kind="acknowledged", actor=unnamed, data=None),
        dict(kind="something_new", actor=unnamed),
    ]
    events = []
    for i, row in enumerate(rows):
        row.setdefault("data", {})
        events.append(CaseEvent(pk=i + 1, at=at + timedelta(hours=7 * i, minutes=13 * i), **row))
    return events


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Jayapura", "UTC"])
def test_the_timeline_tag_writes_what_the_template_loop_wrote(language, zone):
    events = _events()
    engine = engines["django"]
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
        expected = engine.from_string(TIMELINE_LOOP).render({"events": events})
        actual = engine.from_string(TIMELINE_TAG).render({"events": events})
    assert actual == expected
    assert "&lt;script&gt;" in actual and "Siti &amp; Co &lt;Rahma&gt;" in actual  # escaped, as before


def test_an_event_without_an_actor_is_the_system_s():
    # The loop meant this (``|default:_("sistem")``) but raised VariableDoesNotExist on ``e.actor.username``
    # for an actor-less event; no service records one today.
    event = CaseEvent(pk=1, at=timezone.now(), actor=None, kind="comment", data={})
    with translation.override("id"):
        html = engines["django"].from_string(TIMELINE_TAG).render({"events": [event]})
    assert "</time> · sistem</div>" in html


class _Filters(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Semua"), (1, "Satu & dua"), (2, mark_safe("<b>Dua</b>")),
                                       ("tiga", gettext_lazy("Status"))], required=False)
    typed = forms.TypedChoiceField(choices=[("", "—"), (10, "Sepuluh"), (20, "Dua puluh")], coerce=int,
                                   required=False)
    required = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], help_text="Pilih satu")
    grouped = forms.ChoiceField(choices=[("Kecamatan <A>", [(1, "Desa 1"), (2, "Desa 2")]), (3, "Lain")],
                                required=False)
    many = forms.MultipleChoiceField(choices=[(1, "Satu"), (2, "Dua"), (3, "Tiga")], required=False)
    yes_no = forms.NullBooleanField(required=False)
    fixed = forms.ChoiceField(choices=[("x", "X")], disabled=True, required=False,
                              widget=forms.Select(attrs={"class": "wide", "data-x": 'a"b', "autofocus": True}))
    empty = forms.ChoiceField(choices=[], required=False)


@pytest.mark.parametrize("data", [
    None,
    {"plain": "2", "typed": "20", "required": "b", "grouped": "2", "many": ["1", "3"], "yes_no": "true"},
    {"plain": "nope", "typed": "x", "grouped": "3", "yes_no": "unknown"},  # invalid values: errors, nothing chosen
])
def test_the_select_renderer_writes_what_django_wrote(data, monkeypatch):
    written = []
    monkeypatch.setattr(select_renderer, "select_html",
                        lambda widget: written.append(widget["name"]) or SELECT_HTML(widget))
    default, fast = _Filters(data), _Filters(data, renderer=SELECT_RENDERER)
    if data is not None:
        default.is_valid(), fast.is_valid()
    for name in default.fields:
        assert str(fast[name]) == str(default[name]), name
    assert set(written) == {"plain", "typed", "required", "grouped", "many", "yes_no", "fixed", "empty"}


def test_the_case_list_offers_the_same_filters_with_a_huge_or_odd_id(client, world):
    client.force_login(world.opd_user)  # a scope without kecamatan: the narrowed lists are used
    for value in (str(10**30), "²", "-1", "0"):
        response = client.get(reverse("casework:case_list"), {"kabupaten": value, "kecamatan": value,
                                                              "desa": value, "opd": value})
        assert response.status_code == 200, value


def _detail_queries(client, case) -> tuple[int, str]:
    url = reverse("casework:case_detail", args=[case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).content.decode()
    return len(ctx), body


def test_the_case_page_shows_its_optional_records_without_a_query_per_event(client, world):
    client.force_login(world.pokja_user)
    bare, _ = _detail_queries(client, make_case(world))

    case = make_case(world, main_goal=world.goal_a1, activity=world.activity_a1)
    step(case, world.kecamatan_user, "escalate", "Mohon dukungan kabupaten")
    step(case, world.pokja_user, "assign", "", opd=world.opd_a_tani.pk,
         due_date=timezone.localdate() + timedelta(days=20))
    Case.objects.filter(pk=case.pk).update(assignee=world.opd_user)
    count, body = _detail_queries(client, case)
    assert world.goal_a1.statement in body and world.activity_a1.name in body
    assert f"{world.opd_a_tani.short_name} · {world.opd_user.get_full_name() or world.opd_user.username}" in body
    # The goal, the activity and the assignee are one query each, and only when they are set.
    assert count <= bare + 3

    for i in range(12):
        case_add_comment(user=(world.opd_user, world.pokja_user, world.kecamatan_user)[i % 3], case_id=case.pk,
                         note=f"Catatan riwayat {i:02d}")
    more, body = _detail_queries(client, case)
    assert "Catatan riwayat 11" in body
    assert more == count
