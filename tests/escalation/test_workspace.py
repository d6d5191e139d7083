"""The OPD officer's workspace: the four lists, the four actions, scope, and the overdue boundary."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from casework.models import CaseState, EventKind
from casework.services.cases import case_acknowledge
from escalation.selectors import opd_workspace
from tests.conftest import step
from tests.escalation.conftest import assigned_case, snapshot

pytestmark = pytest.mark.django_db


def act(client, case, action, **fields):
    data = {f"c{case.pk}-expected_version": case.version}
    data.update({f"c{case.pk}-{k}": v for k, v in fields.items()})
    return client.post(reverse("escalation:workspace_act", args=[case.pk, action]), data)


def test_it_shows_only_the_agencys_cases_in_four_sections(client, world):
    new = assigned_case(world, obstacle="Baru ditugaskan")
    working = assigned_case(world, obstacle="Sedang dikerjakan")
    working.refresh_from_db()
    case_acknowledge(user=world.opd_user, case_id=working.pk, expected_version=working.version)
    done = assigned_case(world, obstacle="Sudah selesai")
    step(done, world.opd_user, "resolve", "Penyuluh sudah berkunjung.")
    other_opd = assigned_case(world, opd=world.opd_a_dpmd, obstacle="Milik DPMD")
    client.force_login(world.opd_user)
    response = client.get(reverse("escalation:workspace"))
    ws = response.context["ws"]
    assert [c.pk for c in ws.new] == [new.pk]
    assert [c.pk for c in ws.in_progress] == [working.pk]
    assert [c.pk for c in ws.resolved] == [done.pk]
    assert ws.overdue == []
    assert ws.counts == {"new": 1, "in_progress": 1, "overdue": 0, "resolved": 1}
    assert "Milik DPMD" not in response.content.decode()
    assert other_opd.pk not in {c.pk for c in ws.new + ws.in_progress + ws.resolved}


def test_overdue_switches_exactly_at_the_stored_deadline(world):
    case = assigned_case(world)
    case.refresh_from_db()
    assert case.deadline_kind == "acknowledge"
    before = opd_workspace(world.opd_user, now=case.deadline_at - timedelta(microseconds=1))
    at = opd_workspace(world.opd_user, now=case.deadline_at)
    assert [c.pk for c in before.new] == [case.pk] and before.overdue == []
    assert [c.pk for c in at.overdue] == [case.pk] and at.new == []
    assert (before.counts["overdue"], at.counts["overdue"]) == (0, 1)


def test_the_officer_acknowledges_a_new_case(client, world):
    case = assigned_case(world)
    client.force_login(world.opd_user)
    assert act(client, case, "acknowledge").status_code == 302
    case.refresh_from_db()
    assert case.acknowledged_at is not None and case.state == CaseState.ASSIGNED
    assert case.deadline_kind == "resolve"
    assert case.events.latest("id").kind == EventKind.ACKNOWLEDGED


def test_the_officer_posts_a_progress_update(client, world):
    case = assigned_case(world)
    client.force_login(world.opd_user)
    assert act(client, case, "progress", note="Penyuluh dijadwalkan Selasa depan.").status_code == 302
    event = case.events.latest("id")
    assert (event.kind, event.note, event.actor_id) == (EventKind.PROGRESS, "Penyuluh dijadwalkan Selasa depan.",
                                                       world.opd_user.pk)
    case.refresh_from_db()
    assert case.last_progress_at is not None


def test_the_officer_resolves_with_what_was_done(client, world):
    case = assigned_case(world)
    client.force_login(world.opd_user)
    assert act(client, case, "resolve", note="Pelatihan hama sudah dilaksanakan.").status_code == 302
    case.refresh_from_db()
    assert (case.state, case.resolution) == (CaseState.RESOLVED, "Pelatihan hama sudah dilaksanakan.")
    # Still the agency's: it shows under "resolved, awaiting confirmation".
    client.get(reverse("escalation:workspace"))
    assert [c.pk for c in opd_workspace(world.opd_user).resolved] == [case.pk]


def test_the_officer_returns_a_case_with_the_reason(client, world):
    case = assigned_case(world)
    client.force_login(world.opd_user)
    assert act(client, case, "return", note="Ini urusan DPMD.").status_code == 302
    case.refresh_from_db()
    assert (case.state, case.returned, case.return_reason, case.opd_id) == (CaseState.ESCALATED, True,
                                                                           "Ini urusan DPMD.", None)
    assert case.events.latest("id").action == "return_case"


def test_resolving_without_a_description_is_refused_and_nothing_changes(client, world):
    case = assigned_case(world)
    before = snapshot(case)
    client.force_login(world.opd_user)
    response = act(client, case, "resolve", note="")
    assert response.status_code == 400
    assert snapshot(case) == before


def test_a_conflict_keeps_what_the_officer_typed(client, world):
    case = assigned_case(world)
    stale = case.version
    case_acknowledge(user=world.opd_user, case_id=case.pk, expected_version=stale)  # a colleague acknowledged it
    before = snapshot(case)
    client.force_login(world.opd_user)
    data = {f"c{case.pk}-expected_version": stale, f"c{case.pk}-note": "Laporan penyelesaian saya"}
    response = client.post(reverse("escalation:workspace_act", args=[case.pk, "resolve"]), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Laporan penyelesaian saya" in html and "telah diubah oleh orang lain" in html
    assert snapshot(case) == before


@pytest.mark.parametrize("outsider", ["opd_outsider", "opd_other_kab"])
def test_an_officer_of_another_agency_or_kabupaten_gets_404_and_nothing_changes(client, world, outsider):
    case = assigned_case(world)
    before = snapshot(case)
    client.force_login(getattr(world, outsider))
    for action, fields in (("acknowledge", {}), ("progress", {"note": "x"}), ("resolve", {"note": "x"}),
                           ("return", {"note": "x"})):
        assert act(client, case, action, **fields).status_code == 404
    assert snapshot(case) == before
    assert case.pk not in {c.pk for c in client.get(reverse("escalation:workspace")).context["ws"].new}


def test_other_roles_may_not_open_the_workspace(client, world):
    client.force_login(world.pokja_user)
    assert client.get(reverse("escalation:workspace")).status_code == 403


def test_the_workspace_query_count_does_not_grow_with_the_cases(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assigned_case(world)
    client.force_login(world.opd_user)
    client.get(reverse("escalation:workspace"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("escalation:workspace"))
    for _ in range(4):
        assigned_case(world, desa=world.desa_a2)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("escalation:workspace"))
    assert len(response.context["ws"].new) == 5
    assert len(large) == len(small)
