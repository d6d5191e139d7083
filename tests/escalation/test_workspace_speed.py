"""The OPD workspace after its speed-up: one query for the four sections, and cards whose forms are written
from the case. What the officer sees and posts must be what the per-section queries and the Django forms gave."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, CaseState
from casework.services.cases import case_acknowledge
from escalation import selectors
from escalation.selectors import opd_workspace
from tests.conftest import step
from tests.escalation.conftest import assigned_case

pytestmark = pytest.mark.django_db


def per_section_queries(user, now, limit):
    """The plain reading of the four sections: one ordered, sliced query each, and their full counts."""
    base = Case.objects.filter(opd_id=user.opd_id).order_by("deadline_at", "id")
    overdue = Q(state=CaseState.ASSIGNED, deadline_at__lte=now)
    assigned = base.filter(state=CaseState.ASSIGNED).exclude(overdue)
    sections = {
        "new": assigned.filter(acknowledged_at__isnull=True),
        "in_progress": assigned.filter(acknowledged_at__isnull=False),
        "overdue": base.filter(overdue),
        "resolved": base.filter(state=CaseState.RESOLVED).order_by("-state_changed_at", "-id"),
    }
    return ({name: [c.pk for c in qs[:limit]] for name, qs in sections.items()},
            {name: qs.count() for name, qs in sections.items()})


def shown(ws):
    return ({name: [c.pk for c in getattr(ws, name)] for name in ("new", "in_progress", "overdue", "resolved")},
            ws.counts)


def card(html: str, case) -> str:
    match = re.search(rf'<article class="card ws-case" id="kasus-{case.pk}">.*?</article>', html, re.S)
    assert match, f"no card for case {case.pk}"
    return match.group(0)


def test_the_one_query_ranks_counts_and_cuts_each_section_like_separate_queries(world, monkeypatch):
    now = timezone.now()
    cases = [assigned_case(world, obstacle=f"Kendala {i}") for i in range(12)]
    for case in cases[3:6]:
        case.refresh_from_db()
        case_acknowledge(user=world.opd_user, case_id=case.pk, expected_version=case.version)
    for case in cases[6:9]:
        step(case, world.opd_user, "resolve", "Sudah ditangani.")
    assigned_case(world, opd=world.opd_a_dpmd)  # another agency's: never counted
    # Deadlines in the past (overdue), shared (ties broken by id), missing, and resolutions out of id order.
    Case.objects.filter(pk__in=[cases[9].pk, cases[10].pk]).update(deadline_at=now - timedelta(days=2))
    Case.objects.filter(pk=cases[11].pk).update(deadline_at=now - timedelta(days=5))
    Case.objects.filter(pk__in=[cases[0].pk, cases[1].pk]).update(deadline_at=now + timedelta(days=3))
    Case.objects.filter(pk=cases[2].pk).update(deadline_at=None)
    Case.objects.filter(pk=cases[4].pk).update(deadline_at=now)  # exactly at the boundary: overdue
    for days, case in enumerate(cases[6:9]):
        Case.objects.filter(pk=case.pk).update(state_changed_at=now - timedelta(days=[1, 3, 1][days]))

    assert opd_workspace(world.opd_user, now=now).counts == {"new": 3, "in_progress": 2, "overdue": 4, "resolved": 3}
    for limit in (100, 2, 1):
        monkeypatch.setattr(selectors, "SECTION_LIMIT", limit)
        for moment in (now, now - timedelta(days=3), now + timedelta(days=40)):
            assert shown(opd_workspace(world.opd_user, now=moment)) == per_section_queries(world.opd_user, moment,
                                                                                            limit)


def test_each_card_posts_its_forms_to_its_own_case_with_the_version_shown(client, world):
    new = assigned_case(world, obstacle="Belum diterima")
    working = assigned_case(world, obstacle="Sudah diterima")
    working.refresh_from_db()
    case_acknowledge(user=world.opd_user, case_id=working.pk, expected_version=working.version)
    client.force_login(world.opd_user)
    html = client.get(reverse("escalation:workspace")).content.decode()
    for case in (new, working):
        case.refresh_from_db()
        body = card(html, case)
        p = f"c{case.pk}"
        assert f'href="{reverse("casework:case_detail", args=[case.pk])}"' in body
        for action, label in (("progress", "Perkembangan"), ("resolve", "Apa yang telah dilakukan"),
                              ("return", "Alasan: mengapa ini bukan wewenang OPD Anda")):
            assert f'action="{reverse("escalation:workspace_act", args=[case.pk, action])}"' in body
            assert f'<label for="{p}-{action}">{label}</label>' in body
            assert f'id="{p}-{action}" name="{p}-note"' in body
        assert body.count(f'name="{p}-expected_version" value="{case.version}"') == (3 if case is new else 2)
        assert body.count('name="csrfmiddlewaretoken"') == (4 if case is new else 3)
        assert ("Terima kasus" in body) == (case is new)
        assert "<details open>" not in body and "errorlist" not in body
        assert re.findall(r"<textarea[^>]*>([^<]*)</textarea>", body) == ["", "", ""]


def test_a_refused_form_comes_back_open_with_what_was_typed_and_its_error(client, world):
    case = assigned_case(world)
    other = assigned_case(world)
    client.force_login(world.opd_user)
    url = reverse("escalation:workspace_act", args=[case.pk, "return"])
    response = client.post(url, {f"c{case.pk}-expected_version": case.version, f"c{case.pk}-note": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    body = card(html, case)
    assert body.count("<details open>") == 1
    opened = body[body.index("<details open>"):]
    assert opened.startswith("<details open>\n    <summary>Kembalikan: bukan wewenang kami</summary>")
    assert '<ul class="errorlist"><li>Wajib diisi.</li></ul>' in opened
    assert "Periksa kembali isian berikut." in body
    assert "<details open>" not in card(html, other) and "errorlist" not in card(html, other)


def test_after_a_conflict_the_refused_form_carries_the_version_now_current(client, world):
    case = assigned_case(world)
    case.refresh_from_db()
    stale = case.version
    case_acknowledge(user=world.opd_user, case_id=case.pk, expected_version=stale)  # a colleague acknowledged it
    case.refresh_from_db()
    assert case.version != stale
    client.force_login(world.opd_user)
    response = client.post(reverse("escalation:workspace_act", args=[case.pk, "resolve"]),
                           {f"c{case.pk}-expected_version": stale, f"c{case.pk}-note": "Laporan <saya>"})
    assert response.status_code == 409
    body = card(response.content.decode(), case)
    opened = body[body.index("<details open>"):]
    assert f'name="c{case.pk}-expected_version" value="{case.version}"' in opened
    assert "Laporan &lt;saya&gt;</textarea>" in opened
    assert f'value="{stale}"' not in body


def test_a_refused_step_on_a_case_beyond_the_listed_ones_is_shown_above_the_sections(client, world, monkeypatch):
    first = assigned_case(world, obstacle="Pertama")
    hidden = assigned_case(world, obstacle="Kedua")
    monkeypatch.setattr(selectors, "SECTION_LIMIT", 1)
    client.force_login(world.opd_user)
    response = client.post(reverse("escalation:workspace_act", args=[hidden.pk, "progress"]),
                           {f"c{hidden.pk}-note": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert [c.pk for c in response.context["ws"].new] == [first.pk]
    assert response.context["failed_elsewhere"].case_id == hidden.pk
    assert "Langkah tidak dijalankan" in html and f'id="kasus-{hidden.pk}"' not in html
