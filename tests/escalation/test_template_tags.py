"""The inbox's shared option lists and the field-error tag."""
from __future__ import annotations

import pytest
from django.template import Context, Template

from escalation.forms import NoteForm
from escalation.selectors import officers_of, opds_of

pytestmark = pytest.mark.django_db


def test_option_lists_are_rendered_once_per_choice_and_mark_the_chosen_one(world):
    opds = list(opds_of(world.kab_a.pk))
    cache: dict = {}
    template = Template('{% load escalation_tags %}<select>{% select_options "opds" chosen %}</select>')
    plain = template.render(Context({"opds": opds, "option_cache": cache, "chosen": ""}))
    assert plain.count("<option") == len(opds) > 1 and "selected" not in plain
    chosen = template.render(Context({"opds": opds, "option_cache": cache, "chosen": str(opds[1].pk)}))
    assert f'<option value="{opds[1].pk}" selected>{opds[1].short_name} — {opds[1].name}</option>' in chosen
    assert set(cache) == {("opds", ""), ("opds", str(opds[1].pk))}
    # The cached list is what a later form shows, without reading the objects again.
    again = template.render(Context({"opds": [], "option_cache": cache, "chosen": ""}))
    assert again == plain
    officers = Template('{% load escalation_tags %}{% select_options "officers" "" %}').render(
        Context({"officers": list(officers_of(world.kab_a.pk))}))
    assert world.opd_user.opd.short_name in officers


def test_the_error_tag_lists_a_fields_errors_escaped_and_nothing_when_valid(world):
    form = NoteForm({"c1-note": "", "c1-expected_version": "x"}, prefix="c1", note_label="Alasan")
    assert not form.is_valid()
    form.add_error(None, "<b>Versi</b> berubah")
    html = Template('{% load escalation_tags %}{% errors_of f "note" %}|{% errors_of f %}').render(Context({"f": form}))
    note, general = html.split("|")
    assert note.startswith('<ul class="errorlist"><li>') and note.count("<li>") == len(form.errors["note"])
    assert general == '<ul class="errorlist"><li>&lt;b&gt;Versi&lt;/b&gt; berubah</li></ul>'
    ok = NoteForm({"c1-note": "Cukup", "c1-expected_version": "1"}, prefix="c1", note_label="Alasan")
    assert ok.is_valid()
    assert Template('{% load escalation_tags %}{% errors_of f "note" %}').render(Context({"f": ok})) == ""
