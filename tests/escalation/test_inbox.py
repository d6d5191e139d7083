"""The Pokja inbox: assignment, send-back, bulk assignment, returned cases, and scope refusals."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseEvent, CaseState
from tests.conftest import step
from tests.escalation.conftest import assigned_case, escalated_case, snapshot

pytestmark = pytest.mark.django_db


def due(days=20):
    return timezone.localdate() + timedelta(days=days)


def assign_post(case, **overrides):
    p = f"c{case.pk}"
    data = {f"{p}-expected_version": case.version, f"{p}-opd": overrides.pop("opd", None),
            f"{p}-due_date": due().isoformat(), f"{p}-note": "Mohon ditindaklanjuti.", f"{p}-assignee": ""}
    data.update({f"{p}-{k}": v for k, v in overrides.items()})
    return data


def test_it_lists_escalated_cases_oldest_first_grouped_by_kecamatan_and_desa(client, world):
    older = escalated_case(world, obstacle="Kendala pertama di desa X")
    newer = escalated_case(world, desa=world.desa_a2, obstacle="Kendala kedua di Argam")
    still_raised = step(escalated_case(world, obstacle="Sudah dikembalikan"), world.pokja_user, "send_back",
                        "Belum lengkap")
    other_kab = escalated_case(world, desa=world.desa_b1, obstacle="Kendala di Sumba")
    client.force_login(world.pokja_user)
    html = client.get(reverse("escalation:inbox")).content.decode()
    assert html.index(f'id="kasus-{older.pk}"') < html.index(f'id="kasus-{newer.pk}"')
    assert html.index("Kecamatan Pulau Gorom") < html.index("Kecamatan Pulau Panjang")
    assert "Desa X" in html and "Desa Argam" in html
    assert "Mohon dukungan kabupaten." in html  # the support requested
    assert f'id="kasus-{still_raised.pk}"' not in html
    assert f'id="kasus-{other_kab.pk}"' not in html
    assert "menunggu 0 hari" in html


def test_it_offers_the_policy_default_due_date(client, world):
    from escalation.policy import default_due_date

    escalated_case(world)
    client.force_login(world.pokja_user)
    html = client.get(reverse("escalation:inbox")).content.decode()
    assert f'value="{default_due_date(world.kab_a.pk).isoformat()}"' in html


def test_the_chair_assigns_a_case_to_an_opd_with_an_officer_and_due_date(client, world):
    case = escalated_case(world)
    client.force_login(world.pokja_user)
    response = client.post(reverse("escalation:assign", args=[case.pk]),
                           assign_post(case, opd=world.opd_a_tani.pk, assignee=world.opd_user.pk))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.ASSIGNED
    assert (case.opd_id, case.assignee_id, case.due_date) == (world.opd_a_tani.pk, world.opd_user.pk, due())
    event = case.events.latest("id")
    assert (event.action, event.actor_id, event.data["opd_id"]) == ("assign", world.pokja_user.pk, world.opd_a_tani.pk)


def test_the_chair_sends_a_case_back_with_a_reason(client, world):
    case = escalated_case(world)
    client.force_login(world.pokja_user)
    response = client.post(reverse("escalation:send_back", args=[case.pk]),
                           {f"c{case.pk}-expected_version": case.version, f"c{case.pk}-note": "Bisa diselesaikan desa."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.RAISED
    event = case.events.latest("id")
    assert (event.action, event.note, event.actor_id) == ("send_back", "Bisa diselesaikan desa.", world.pokja_user.pk)


def test_send_back_without_a_reason_is_refused_and_nothing_changes(client, world):
    case = escalated_case(world)
    before = snapshot(case)
    client.force_login(world.pokja_user)
    response = client.post(reverse("escalation:send_back", args=[case.pk]),
                           {f"c{case.pk}-expected_version": case.version, f"c{case.pk}-note": ""})
    assert response.status_code == 400
    assert "Wajib diisi." in response.content.decode()
    assert snapshot(case) == before


def test_an_opd_of_another_kabupaten_is_refused_and_the_input_is_kept(client, world):
    case = escalated_case(world)
    before = snapshot(case)
    client.force_login(world.pokja_user)
    response = client.post(reverse("escalation:assign", args=[case.pk]),
                           assign_post(case, opd=world.opd_b_tani.pk, note="Catatan yang saya ketik"))
    assert response.status_code == 400
    assert "Catatan yang saya ketik" in response.content.decode()
    assert snapshot(case) == before


def test_a_conflict_keeps_the_input_and_shows_the_current_state(client, world):
    case = escalated_case(world)
    stale = case.version
    # Someone else sends it back and the kecamatan escalates it again meanwhile.
    step(case, world.pokja_user, "send_back", "Lengkapi data")
    step(case, world.kecamatan_user, "escalate", "Data sudah lengkap")
    before = snapshot(case)
    client.force_login(world.pokja_user)
    data = assign_post(case, opd=world.opd_a_dpmd.pk, note="Teks penugasan saya")
    data[f"c{case.pk}-expected_version"] = stale
    response = client.post(reverse("escalation:assign", args=[case.pk]), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "telah diubah oleh orang lain" in html
    assert "Teks penugasan saya" in html
    assert f'<option value="{world.opd_a_dpmd.pk}" selected>' in html
    case.refresh_from_db()
    assert f'name="c{case.pk}-expected_version" value="{case.version}"' in html  # resubmittable
    assert snapshot(case) == before


def test_a_conflict_on_a_case_that_left_the_inbox_shows_where_it_is_now(client, world):
    case = escalated_case(world)
    stale = case.version
    step(case, world.pokja_user, "assign", "", opd=world.opd_a_dpmd, due_date=due())
    client.force_login(world.pokja_user)
    data = assign_post(case, opd=world.opd_a_tani.pk, note="Penugasan kedua")
    data[f"c{case.pk}-expected_version"] = stale
    html = client.post(reverse("escalation:assign", args=[case.pk]), data).content.decode()
    assert "Langkah tidak dijalankan" in html and "Ditugaskan" in html and "DPMD" in html
    assert "Penugasan kedua" in html


def test_returned_cases_come_back_marked_with_the_opds_reason(client, world):
    case = assigned_case(world)
    step(case, world.opd_user, "return_case", "Bukan wewenang Dinas Pertanian; urusan DPMD.")
    client.force_login(world.pokja_user)
    html = client.get(reverse("escalation:inbox")).content.decode()
    assert f'id="kasus-{case.pk}"' in html
    assert "dikembalikan OPD" in html
    assert "Bukan wewenang Dinas Pertanian; urusan DPMD." in html


def test_the_chair_of_another_kabupaten_gets_404_and_nothing_changes(client, world):
    case = escalated_case(world)
    before = snapshot(case)
    client.force_login(world.pokja_outsider)
    assert client.post(reverse("escalation:assign", args=[case.pk]),
                       assign_post(case, opd=world.opd_a_tani.pk)).status_code == 404
    assert client.post(reverse("escalation:send_back", args=[case.pk]),
                       {f"c{case.pk}-expected_version": case.version, f"c{case.pk}-note": "x"}).status_code == 404
    assert client.get(reverse("escalation:inbox"), {"kabupaten": world.kab_a.pk}).status_code == 404
    html = client.get(reverse("escalation:inbox")).content.decode()
    assert f'id="kasus-{case.pk}"' not in html
    assert snapshot(case) == before


def test_other_roles_may_not_open_the_inbox(client, world):
    for user in (world.opd_user, world.kecamatan_user):
        client.force_login(user)
        assert client.get(reverse("escalation:inbox")).status_code == 403


def test_the_programme_admin_works_on_one_kabupaten_at_a_time(client, world):
    a = escalated_case(world)
    b = escalated_case(world, desa=world.desa_b1)
    client.force_login(world.admin_user)
    html = client.get(reverse("escalation:inbox"), {"kabupaten": world.kab_b.pk}).content.decode()
    assert f'id="kasus-{b.pk}"' in html and f'id="kasus-{a.pk}"' not in html


# --- bulk assignment -----------------------------------------------------------------------------
def bulk_post(world, cases, **extra):
    data = {"kabupaten": world.kab_a.pk, "cases": [c.pk for c in cases], "opd": world.opd_a_dpmd.pk,
            "due_date": due().isoformat(), "note": "Rakor memutuskan DPMD", "assignee": ""}
    data.update({f"version_{c.pk}": c.version for c in cases})
    data.update(extra)
    return data


def test_bulk_assign_assigns_every_selected_case(client, world):
    cases = [escalated_case(world), escalated_case(world, desa=world.desa_a2)]
    client.force_login(world.pokja_user)
    response = client.post(reverse("escalation:bulk_assign"), bulk_post(world, cases))
    assert response.status_code == 302
    for case in cases:
        case.refresh_from_db()
        assert (case.state, case.opd_id, case.due_date) == (CaseState.ASSIGNED, world.opd_a_dpmd.pk, due())
        assert case.events.filter(action="assign", actor=world.pokja_user).count() == 1


def test_bulk_assign_is_all_or_nothing_and_lists_the_conflict(client, world):
    fine = escalated_case(world, obstacle="Kasus yang baik")
    stale = escalated_case(world, desa=world.desa_a2, obstacle="Kasus yang berubah")
    data = bulk_post(world, [fine, stale])
    step(stale, world.pokja_user, "send_back", "Dikembalikan oleh rekan")  # changes it behind the form
    before = [snapshot(fine), snapshot(stale)]
    events_before = CaseEvent.objects.count()
    client.force_login(world.pokja_user)
    response = client.post(reverse("escalation:bulk_assign"), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Penugasan massal dibatalkan" in html
    assert f"<strong>#{stale.pk}</strong>" in html and "Diangkat" in html  # its current state
    assert [snapshot(fine), snapshot(stale)] == before
    assert CaseEvent.objects.count() == events_before
    # What was typed and ticked is still there.
    assert "Rakor memutuskan DPMD" in html
    assert f'name="cases" value="{fine.pk}" form="bulk-form" checked' in html


def test_bulk_assign_refuses_a_case_outside_the_kabupaten(client, world):
    mine = escalated_case(world)
    theirs = escalated_case(world, desa=world.desa_b1)
    before = [snapshot(mine), snapshot(theirs)]
    client.force_login(world.pokja_user)
    response = client.post(reverse("escalation:bulk_assign"), bulk_post(world, [mine, theirs]))
    assert response.status_code == 409
    assert "tidak ditemukan di wilayah Anda" in response.content.decode()
    assert [snapshot(mine), snapshot(theirs)] == before


def test_bulk_assign_without_a_selection_keeps_the_form(client, world):
    escalated_case(world)
    client.force_login(world.pokja_user)
    response = client.post(reverse("escalation:bulk_assign"), bulk_post(world, [], note="Catatan massal"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pilih minimal satu kasus." in html and "Catatan massal" in html


def test_the_inbox_query_count_does_not_grow_with_the_cases(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    escalated_case(world)
    client.force_login(world.pokja_user)
    client.get(reverse("escalation:inbox"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("escalation:inbox"))
    for desa in (world.desa_a1b, world.desa_a2, world.desa_a2, world.desa_a1):
        escalated_case(world, desa=desa)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("escalation:inbox"))
    assert sum(g.count for g in response.context["groups"]) == 5
    assert len(large) == len(small)


def test_every_card_carries_its_own_forms_labelled_for_its_own_fields(client, world):
    import re

    cases = [escalated_case(world, obstacle=f"Kendala kartu {i}") for i in range(3)]
    client.force_login(world.pokja_user)
    html = client.get(reverse("escalation:inbox")).content.decode()
    assert "__prefix__" not in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an id appears twice"
    for label_for in re.findall(r'<label for="([^"]+)"', html):
        assert label_for in ids
    for case in cases:
        card = html[html.index(f'id="kasus-{case.pk}"'):]
        card = card[:card.index("</article>")]
        p = f"c{case.pk}"
        for name in ("opd", "assignee", "due_date", "note"):
            assert f'name="{p}-{name}"' in card
        assert card.count(f'name="{p}-expected_version" value="{case.version}"') == 2  # assign and send back
        assert f'<textarea id="{p}-sb-note" name="{p}-note" rows="2" required>' in card
        # A posted form made from what the card shows is accepted.
    response = client.post(reverse("escalation:send_back", args=[cases[1].pk]),
                           {f"c{cases[1].pk}-expected_version": cases[1].version,
                            f"c{cases[1].pk}-note": "Lengkapi dulu"})
    assert response.status_code == 302
