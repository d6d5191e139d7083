"""The case pages: list, detail with only the allowed steps, transitions through the page, concurrency."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import Case, CaseEvent, CaseState
from tests.conftest import make_case, step
from tests.factories import UserFactory


def _url(case, suffix=""):
    return f"/kasus/{case.pk}/{suffix}"


def _post_action(client, case, action, version=None, **data):
    case.refresh_from_db()
    payload = {f"{action}-version": version if version is not None else case.version}
    payload.update({f"{action}-{k}": v for k, v in data.items()})
    return client.post(_url(case, f"aksi/{action}/"), payload)


@pytest.fixture
def other_desa_case(world):
    return make_case(world, desa=world.desa_a2, user=world.kecamatan_outsider, obstacle="Jalan tani rusak di Argam")


# --- list ------------------------------------------------------------------------------------

def test_it_lists_only_cases_in_the_users_scope(client, world, other_desa_case):
    mine = make_case(world, obstacle="Bibit jagung terlambat datang")
    client.force_login(world.kecamatan_user)
    body = client.get("/kasus/").content.decode()
    assert "Bibit jagung terlambat datang" in body and f"/kasus/{mine.pk}/" in body
    assert "Jalan tani rusak di Argam" not in body
    client.force_login(world.pokja_user)
    body = client.get("/kasus/").content.decode()
    assert "Bibit jagung terlambat datang" in body and "Jalan tani rusak di Argam" in body
    client.force_login(world.opd_user)  # nothing assigned to this OPD yet
    body = client.get("/kasus/").content.decode()
    assert "Bibit jagung" not in body and "Belum ada kasus" in body


def test_it_filters_by_state_desa_and_overdue_and_searches_text(client, world):
    a = make_case(world, obstacle="Operator desa belum dilatih membuat laporan keuangan")
    b = make_case(world, desa=world.desa_a1b, obstacle="Para-para penjemuran ikan rusak")
    step(b, world.kecamatan_user, "escalate", "Bantuan bahan bangunan")
    Case.objects.filter(pk=a.pk).update(deadline_at=timezone.now() - timedelta(days=2))
    client.force_login(world.kecamatan_user)

    body = client.get("/kasus/", {"status": "escalated"}).content.decode()
    assert "Para-para" in body and "Operator desa" not in body
    body = client.get("/kasus/", {"desa": world.desa_a1.pk}).content.decode()
    assert "Operator desa" in body and "Para-para" not in body
    body = client.get("/kasus/", {"terlambat": "on"}).content.decode()
    assert "Operator desa" in body and "Para-para" not in body
    body = client.get("/kasus/", {"q": "penjemuran ikan"}).content.decode()
    assert "Para-para" in body and "Operator desa" not in body
    body = client.get("/kasus/", {"q": "Ondor"}).content.decode()  # the desa's name is searched too
    assert "Para-para" in body and "Operator desa" not in body
    body = client.get("/kasus/", {"q": "tidak-ada-yang-cocok"}).content.decode()
    assert "Tidak ada kasus yang cocok" in body


def test_a_desa_outside_the_scope_is_ignored_as_a_filter(client, world, other_desa_case):
    make_case(world, obstacle="Kendala di Gorom")
    client.force_login(world.kecamatan_user)
    body = client.get("/kasus/", {"desa": world.desa_a2.pk}).content.decode()
    assert "Jalan tani rusak" not in body


def test_it_sorts_and_paginates(client, world):
    from casework.views.cases import PAGE_SIZE

    last = PAGE_SIZE + 1  # one more than fits on the first page
    for i in range(last + 1):
        make_case(world, obstacle=f"Kendala nomor {i:02d}")
    client.force_login(world.kecamatan_user)
    first = client.get("/kasus/", {"urut": "terlama"}).content.decode()
    assert "Kendala nomor 00" in first and f"Kendala nomor {last}" not in first and "Halaman 1 dari 2" in first
    second = client.get("/kasus/", {"urut": "terlama", "page": 2}).content.decode()
    assert f"Kendala nomor {last}" in second and "Kendala nomor 00" not in second


# --- detail and the steps shown ----------------------------------------------------------------

def test_it_shows_only_the_steps_the_user_may_take(client, world):
    case = make_case(world)
    client.force_login(world.kecamatan_user)
    body = client.get(_url(case)).content.decode()
    for action in ("escalate", "resolve_locally", "withdraw"):
        assert f"/aksi/{action}/" in body
    assert "/aksi/assign/" not in body and "/aksi/confirm/" not in body

    client.force_login(world.pokja_user)
    body = client.get(_url(case)).content.decode()
    assert "/aksi/" not in body  # the Pokja has nothing to do with a case still at the kecamatan
    step(case, world.kecamatan_user, "escalate", "Mohon penyuluh")
    body = client.get(_url(case)).content.decode()
    assert "/aksi/assign/" in body and "/aksi/send_back/" in body and "/aksi/escalate/" not in body


def test_a_case_out_of_scope_is_a_404_for_reading_and_acting(client, world, other_desa_case):
    client.force_login(world.kecamatan_user)
    assert client.get(_url(other_desa_case)).status_code == 404
    response = _post_action(client, other_desa_case, "escalate", note="Coba dari kecamatan lain")
    assert response.status_code == 404
    other_desa_case.refresh_from_db()
    assert other_desa_case.state == CaseState.RAISED


def test_get_never_changes_a_case(client, world):
    case = make_case(world)
    client.force_login(world.kecamatan_user)
    assert client.get(_url(case, "aksi/escalate/")).status_code == 405


# --- transitions through the page ----------------------------------------------------------------

def test_it_escalates_and_the_history_row_appears_in_the_timeline(client, world):
    case = make_case(world)
    client.force_login(world.kecamatan_user)
    response = _post_action(client, case, "escalate", note="Mohon penjadwalan penyuluh pertanian")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.ESCALATED
    event = case.events.get(kind="transition")
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        world.kecamatan_user, "raised", "escalated", "Mohon penjadwalan penyuluh pertanian")
    body = client.get(_url(case)).content.decode()
    assert "Diangkat &rarr; Dieskalasi" in body and "Mohon penjadwalan penyuluh pertanian" in body


def test_a_missing_field_is_refused_in_bahasa_indonesia_and_keeps_what_was_typed(client, world):
    case = make_case(world)
    client.force_login(world.kecamatan_user)
    response = _post_action(client, case, "resolve_locally", note="Diperbaiki dengan bambu oleh kelompok")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tuliskan siapa yang menyelesaikannya" in body
    assert "Diperbaiki dengan bambu oleh kelompok" in body
    case.refresh_from_db()
    assert case.state == CaseState.RAISED and case.events.count() == 1


@pytest.mark.parametrize("who, action, note", [
    ("pokja_user", "escalate", "Pokja tidak boleh mengeskalasi"),        # wrong role
    ("opd_user", "resolve_locally", "OPD tidak boleh"),                  # wrong role (and not in scope)
    ("kecamatan_user", "confirm", "Belum diselesaikan"),                 # wrong state
    ("kecamatan_user", "assign", "Kecamatan tidak menugaskan OPD"),      # wrong role for this step
])
def test_a_forbidden_step_is_refused_with_nothing_changed(client, world, who, action, note):
    case = make_case(world)
    client.force_login(getattr(world, who))
    response = _post_action(client, case, action, note=note, resolved_by="x")
    assert response.status_code in (400, 404)
    case.refresh_from_db()
    assert case.state == CaseState.RAISED and case.version == 1 and case.events.count() == 1


def test_the_pokja_assigns_and_the_opd_acknowledges_reports_and_resolves(client, world):
    case = make_case(world)
    step(case, world.kecamatan_user, "escalate", "Mohon penyuluh")
    due = timezone.localdate() + timedelta(days=20)
    client.force_login(world.pokja_user)
    response = _post_action(client, case, "assign", opd=world.opd_a_tani.pk, due_date=due.isoformat(),
                            note="Jadwalkan penyuluh")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.ASSIGNED and case.opd == world.opd_a_tani and case.due_date == due

    client.force_login(world.opd_user)
    body = client.get(_url(case)).content.decode()
    assert "/terima/" in body and "/aksi/resolve/" in body and "/aksi/return_case/" in body
    assert client.post(_url(case, "terima/"), {"version": case.version}).status_code == 302
    assert client.post(_url(case, "perkembangan/"), {"progress-note": "Penyuluh dijadwalkan 3 Mei"}).status_code == 302
    case.refresh_from_db()
    assert case.acknowledged_at and case.state == CaseState.ASSIGNED
    response = _post_action(client, case, "resolve", note="Penyuluh hadir dan melatih kelompok tani")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED
    assert [e.kind for e in case.events.order_by("at", "id")] == [
        "created", "transition", "transition", "acknowledged", "progress", "transition"]


def test_the_opd_must_give_a_reason_to_return_a_case(client, world):
    case = make_case(world)
    step(case, world.kecamatan_user, "escalate", "Mohon bantuan")
    step(case, world.pokja_user, "assign", "", opd=world.opd_a_tani.pk,
         due_date=timezone.localdate() + timedelta(days=10))
    client.force_login(world.opd_user)
    response = _post_action(client, case, "return_case", note="")
    assert response.status_code == 400 and "bukan wewenang OPD Anda" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.ASSIGNED
    response = _post_action(client, case, "return_case", note="Urusan keuangan desa, wewenang DPMD")
    case.refresh_from_db()
    assert response.status_code == 302 and case.state == CaseState.ESCALATED and case.returned


def test_a_comment_goes_into_the_timeline_without_changing_state(client, world):
    case = make_case(world)
    client.force_login(world.pokja_user)
    assert client.post(_url(case, "komentar/"), {"comment-note": ""}).status_code == 400
    assert client.post(_url(case, "komentar/"), {"comment-note": "Sudah dibahas di Rakor"}).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.RAISED and case.version == 1
    assert "Sudah dibahas di Rakor" in client.get(_url(case)).content.decode()


# --- two people at once --------------------------------------------------------------------------

def test_the_second_of_two_concurrent_steps_gets_the_current_state_and_keeps_its_text(client, world):
    colleague = UserFactory(username="kec_a1_b", role="kecamatan", kecamatan=world.kec_a1)
    case = make_case(world)
    seen_version = case.version
    client.force_login(colleague)
    assert _post_action(client, case, "escalate", version=seen_version, note="Mohon DPMD").status_code == 302

    client.force_login(world.kecamatan_user)
    response = _post_action(client, case, "withdraw", version=seen_version,
                            note="Sudah tidak relevan karena musim tanam lewat")
    assert response.status_code == 409
    body = response.content.decode()
    assert "telah diubah oleh orang lain" in body and "Dieskalasi" in body
    assert "Sudah tidak relevan karena musim tanam lewat" in body  # nothing typed is lost
    case.refresh_from_db()
    assert case.state == CaseState.ESCALATED
    assert not CaseEvent.objects.filter(case=case, action="withdraw").exists()


def test_after_a_conflict_the_kept_form_can_be_resubmitted_deliberately(client, world):
    case = make_case(world)
    seen_version = case.version
    client.force_login(world.kecamatan_user)
    edit = client.post(_url(case, "ubah/"), {"edit-version": seen_version, "edit-obstacle": "Kendala diperjelas",
                                              "edit-support_from": "desa"})
    assert edit.status_code == 302
    response = _post_action(client, case, "escalate", version=seen_version, note="Mohon dukungan DPMD")
    assert response.status_code == 409
    case.refresh_from_db()
    body = response.content.decode()
    assert "Mohon dukungan DPMD" in body and f'value="{case.version}"' in body
    assert _post_action(client, case, "escalate", version=case.version, note="Mohon dukungan DPMD").status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.ESCALATED and case.obstacle == "Kendala diperjelas"


def test_the_admin_can_narrow_the_list_to_one_kabupaten(client, world):
    from tests.conftest import make_case
    from tests.factories import UserFactory

    make_case(world, obstacle="Kendala di Seram")
    make_case(world, desa=world.desa_b1, user=UserFactory(role="kecamatan", kecamatan=world.kec_b1),
              obstacle="Kendala di Sumba")
    client.force_login(world.admin_user)
    body = client.get("/kasus/", {"kabupaten": world.kab_b.pk}).content.decode()
    assert "Kendala di Sumba" in body and "Kendala di Seram" not in body
    # A kabupaten outside the user's scope is ignored, not honoured.
    client.force_login(world.pokja_user)
    body = client.get("/kasus/", {"kabupaten": world.kab_b.pk}).content.decode()
    assert "Kendala di Seram" in body and "Kendala di Sumba" not in body
