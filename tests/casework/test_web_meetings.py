"""Meeting pages: create, prepare, record obstacles on the sheet, lessons, projector, print, review, finalise, share."""
from __future__ import annotations

import re
from datetime import date

import pytest

from casework.models import AgendaItem, Case, CaseState, IntermediateGoal, Meeting, MeetingStatus, ReviewOutcome
from casework.services.meetings import meeting_create, meeting_finalise, meeting_prepare, meeting_record_obstacle
from tests.conftest import make_case, step
from tests.factories import ActivityFactory


def _create_via_page(client, world, **extra):
    data = {"kecamatan": world.kec_a1.pk, "date": "2024-03-28", "place": "Aula Kantor Camat",
            "chair": "Camat Pulau Gorom", f"urutan_{world.desa_a1b.pk}": "2", f"urutan_{world.desa_a1.pk}": "1",
            "participants_desa": "Kepala Desa X, Desa X\nSekdes Ondor, Desa Ondor",
            "participants_facilitator": "Fasilitator BangKIT, BaKTI"}
    data.update(extra)
    return client.post("/pertemuan/baru/", data)


@pytest.fixture
def prepared(world):
    """A prepared meeting of Pulau Gorom: desa X first, then Ondor."""
    meeting = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk, date=date(2024, 3, 28),
                             desa_ids=[world.desa_a1.pk, world.desa_a1b.pk])
    return meeting_prepare(user=world.kecamatan_user, meeting_id=meeting.pk)


def test_it_creates_a_meeting_with_desa_in_discussion_order_and_participants(client, world):
    client.force_login(world.kecamatan_user)
    response = _create_via_page(client, world)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pertemuan/{meeting.pk}/"
    assert [e.desa.name for e in meeting.desa_entries.order_by("position")] == ["X", "Ondor"]
    assert sorted(p.name for p in meeting.participants.all()) == ["Fasilitator BangKIT", "Kepala Desa X",
                                                                   "Sekdes Ondor"]
    assert meeting.status == MeetingStatus.DRAFT and meeting.chair == "Camat Pulau Gorom"


def test_a_meeting_without_desa_is_refused_and_keeps_what_was_typed(client, world):
    client.force_login(world.kecamatan_user)
    response = _create_via_page(client, world, **{f"urutan_{world.desa_a1.pk}": "", f"urutan_{world.desa_a1b.pk}": ""},
                                place="Balai Desa Kataloka")
    assert response.status_code == 400
    body = response.content.decode()
    assert "minimal satu desa" in body and "Balai Desa Kataloka" in body
    assert not Meeting.objects.exists()


def test_only_kecamatan_staff_create_meetings_and_only_for_their_kecamatan(client, world):
    client.force_login(world.pokja_user)
    assert client.post("/pertemuan/baru/", {"date": "2024-03-28"}).status_code == 302
    client.force_login(world.kecamatan_outsider)  # Pulau Panjang posting Pulau Gorom's desa
    _create_via_page(client, world)
    assert not Meeting.objects.filter(kecamatan=world.kec_a1).exists()


def test_opd_officers_cannot_open_meeting_pages(client, world, prepared):
    client.force_login(world.opd_user)
    assert client.get(f"/pertemuan/{prepared.pk}/").status_code == 404
    assert client.get(f"/pertemuan/{prepared.pk}/desa/{world.desa_a1.pk}/").status_code == 404


def test_preparing_lays_out_each_sheet_from_the_current_plan_in_the_guides_order(client, world):
    IntermediateGoal.objects.create(main_goal=world.goal_a1, statement="Petani punya alternatif penjualan hasil panen")
    ActivityFactory(main_goal=world.goal_a1, name="Pelatihan pengelolaan unit usaha BUMDES")
    meeting = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk, date=date(2024, 3, 28),
                             desa_ids=[world.desa_a1.pk])
    client.force_login(world.kecamatan_user)
    assert client.post(f"/pertemuan/{meeting.pk}/siapkan/", {"version": meeting.version}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PREPARED
    body = client.get(f"/pertemuan/{meeting.pk}/desa/{world.desa_a1.pk}/").content.decode()
    goal = body.index("Semua warga terbebas dari hutang pada rentenir")
    intermediate = body.index("Petani punya alternatif penjualan")
    first_activity = body.index("Penyerahan modal Desa di BUMDES")
    second_activity = body.index("Pelatihan pengelolaan unit usaha BUMDES")
    assert goal < intermediate < first_activity < second_activity
    assert "Kendala/Tantangan yang dihadapi dan pembelajaran" in body
    assert "Gagasan solusi & tindak lanjut (dari hasil diskusi)" in body


def test_an_obstacle_recorded_on_the_sheet_becomes_a_raised_case_on_its_row(client, world, prepared):
    client.force_login(world.kecamatan_user)
    url = f"/pertemuan/{prepared.pk}/desa/{world.desa_a1.pk}/kendala/"
    response = client.post(url, {"target": f"activity:{world.activity_a1.pk}",
                                  "obstacle": "Dana Desa belum cair untuk penyertaan modal BUMDES",
                                  "cause": "Laporan keuangan terlambat", "solution": "Minta pendampingan DPMD",
                                  "support_needed": "Pelatihan operator", "support_from": "kabupaten"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.state, case.meeting, case.desa, case.activity, case.main_goal) == (
        CaseState.RAISED, prepared, world.desa_a1, world.activity_a1, world.goal_a1)
    prepared.refresh_from_db()
    assert prepared.status == MeetingStatus.HELD
    body = client.get(f"/pertemuan/{prepared.pk}/desa/{world.desa_a1.pk}/").content.decode()
    row = re.search(r'<tr class="row-activity">.*?</tr>', body, re.S).group(0)
    assert "Penyerahan modal Desa di BUMDES" in row and "Dana Desa belum cair" in row and "Minta pendampingan" in row


def test_an_empty_obstacle_is_refused_and_keeps_the_rest(client, world, prepared):
    client.force_login(world.kecamatan_user)
    response = client.post(f"/pertemuan/{prepared.pk}/desa/{world.desa_a1.pk}/kendala/",
                           {"obstacle": "", "cause": "Operator baru diganti", "support_from": "desa"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kendala/tantangan wajib diisi" in body and "Operator baru diganti" in body
    assert not Case.objects.exists()


def test_a_desa_not_taking_part_has_no_sheet(client, world, prepared):
    client.force_login(world.kecamatan_user)
    assert client.get(f"/pertemuan/{prepared.pk}/desa/{world.desa_a2.pk}/").status_code == 404
    response = client.post(f"/pertemuan/{prepared.pk}/desa/{world.desa_a2.pk}/kendala/",
                           {"obstacle": "x", "support_from": "desa"})
    assert response.status_code == 404 and not Case.objects.exists()


# --- lessons from other villages -----------------------------------------------------------------

@pytest.fixture
def lessons(world):
    """A solved obstacle in another kecamatan of the same kabupaten, one in another kabupaten, one in X itself."""
    from tests.factories import DesaFactory, UserFactory

    solved = make_case(world, desa=world.desa_a2, user=world.kecamatan_outsider,
                       obstacle="Penyuluh pertanian jarang datang ke kelompok tani jagung",
                       solution="Kelompok menghubungi penyuluh lewat WhatsApp")
    step(solved, world.kecamatan_outsider, "resolve_locally", "Jadwal kunjungan penyuluh disepakati tiap bulan",
         resolved_by="Pemerintah Desa Argam")
    kec_b = UserFactory(username="kec_b1", role="kecamatan", kecamatan=world.kec_b1)
    make_case(world, desa=world.desa_b1, user=kec_b, obstacle="Penyuluh pertanian tidak pernah datang",
              solution="Rahasia kabupaten lain")
    make_case(world, desa=world.desa_a1, obstacle="Penyuluh pertanian absen", solution="Catatan Desa X sendiri")
    DesaFactory(kecamatan=world.kec_a1, name="Kataloka")
    return solved


def test_typing_an_obstacle_shows_what_worked_in_other_villages_of_the_kabupaten(client, world, prepared, lessons):
    client.force_login(world.kecamatan_user)
    response = client.get(f"/pertemuan/{prepared.pk}/desa/{world.desa_a1.pk}/pembelajaran/",
                          {"obstacle": "Penyuluh pertanian tidak hadir di pertemuan kelompok"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Jadwal kunjungan penyuluh disepakati tiap bulan" in body and "Desa Argam" in body
    assert "Rahasia kabupaten lain" not in body       # another kabupaten
    assert "Catatan Desa X sendiri" not in body       # the desa being discussed
    assert f"/kasus/{lessons.pk}/" not in body         # shown as a lesson, not opened: outside this kecamatan


def test_the_lesson_search_works_without_javascript_and_keeps_the_typed_text(client, world, prepared, lessons):
    client.force_login(world.kecamatan_user)
    response = client.post(f"/pertemuan/{prepared.pk}/desa/{world.desa_a1.pk}/kendala/",
                           {"cari": "1", "obstacle": "Penyuluh pertanian tidak hadir", "cause": "Belum dijadwalkan",
                            "support_from": "kabupaten"})
    body = response.content.decode()
    assert response.status_code == 200 and "Jadwal kunjungan penyuluh" in body and "Belum dijadwalkan" in body
    assert Case.objects.filter(meeting=prepared).count() == 0


# --- projector and print -------------------------------------------------------------------------

def test_the_projector_shows_one_desa_at_a_time_with_next_and_previous(client, world, prepared):
    client.force_login(world.kecamatan_user)
    first = client.get(f"/pertemuan/{prepared.pk}/tayang/1/").content.decode()
    assert "Desa: X" in first and f"/pertemuan/{prepared.pk}/tayang/2/" in first and "Desa: Ondor" not in first
    second = client.get(f"/pertemuan/{prepared.pk}/tayang/2/").content.decode()
    assert "Desa: Ondor" in second and f"/pertemuan/{prepared.pk}/tayang/1/" in second
    assert f"/pertemuan/{prepared.pk}/tayang/3/" not in second
    assert client.get(f"/pertemuan/{prepared.pk}/tayang/3/").status_code == 404


def test_the_print_view_has_every_sheet_on_a4_or_a3_landscape(client, world, prepared):
    client.force_login(world.kecamatan_user)
    body = client.get(f"/pertemuan/{prepared.pk}/cetak/", {"kertas": "A3"}).content.decode()
    assert "paper-a3" in body and body.count('class="print-sheet"') == 2
    assert "Desa: X" in body and "Desa: Ondor" in body
    one = client.get(f"/pertemuan/{prepared.pk}/cetak/", {"desa": world.desa_a1b.pk}).content.decode()
    assert "paper-a4" in one and "Desa: Ondor" in one and "Desa: X" not in one


# --- review of carried-over cases and finalising ------------------------------------------------------

@pytest.fixture
def second_meeting(world, prepared):
    """Two cases raised at the first meeting (one resolved locally), then the next meeting prepared."""
    x_case = meeting_record_obstacle(user=world.kecamatan_user, meeting_id=prepared.pk, desa_id=world.desa_a1.pk,
                                     obstacle="Laporan keuangan desa terlambat")
    ondor_case = meeting_record_obstacle(user=world.kecamatan_user, meeting_id=prepared.pk,
                                         desa_id=world.desa_a1b.pk, obstacle="Para-para ikan rusak")
    step(ondor_case, world.kecamatan_user, "resolve_locally", "Diperbaiki dengan bambu", resolved_by="Kelompok")
    meeting_finalise(user=world.kecamatan_user, meeting_id=prepared.pk)
    # The next meeting discusses Ondor first this time.
    nxt = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk, date=date(2024, 7, 10),
                         desa_ids=[world.desa_a1b.pk, world.desa_a1.pk])
    nxt = meeting_prepare(user=world.kecamatan_user, meeting_id=nxt.pk)
    return nxt, x_case, ondor_case


def test_open_cases_are_carried_to_the_next_meeting_grouped_by_desa_in_discussion_order(client, world, second_meeting):
    nxt, x_case, ondor_case = second_meeting
    client.force_login(world.kecamatan_user)
    body = client.get(f"/pertemuan/{nxt.pk}/tinjauan/").content.decode()
    assert body.index("1. Desa Ondor") < body.index("Para-para ikan rusak") < body.index("2. Desa X") \
        < body.index("Laporan keuangan desa terlambat")
    assert "Diperbaiki dengan bambu" in body  # what happened since the previous meeting
    # Only outcomes the state allows: a raised case cannot be "confirmed solved".
    x_form = body[body.index(f'id="kasus-{x_case.pk}"'):]
    x_form = x_form[:x_form.index("</article>")]
    assert 'value="confirmed"' not in x_form and 'value="still_open"' in x_form and 'value="re_escalated"' in x_form


def test_finalising_is_blocked_while_a_carried_case_has_no_outcome_and_the_page_names_them(client, world,
                                                                                            second_meeting):
    nxt, x_case, ondor_case = second_meeting
    client.force_login(world.kecamatan_user)
    response = client.post(f"/pertemuan/{nxt.pk}/finalkan/", {"version": nxt.version})
    assert response.status_code == 400
    body = response.content.decode()
    assert "belum dapat difinalkan" in body and f"#{x_case.pk}" in body and f"#{ondor_case.pk}" in body
    nxt.refresh_from_db()
    assert nxt.status == MeetingStatus.PREPARED

    review = f"/pertemuan/{nxt.pk}/tinjauan/"
    response = client.post(f"{review}{ondor_case.pk}/", {f"r{ondor_case.pk}-outcome": "confirmed",
                                                         f"r{ondor_case.pk}-version": ondor_case.version + 1})
    assert response.status_code == 302
    ondor_case.refresh_from_db()
    assert ondor_case.state == CaseState.CLOSED
    response = client.post(f"{review}{x_case.pk}/", {f"r{x_case.pk}-outcome": "still_open"})
    assert response.status_code == 400 and "catatan perkembangan" in response.content.decode()
    response = client.post(f"{review}{x_case.pk}/", {f"r{x_case.pk}-outcome": "still_open",
                                                     f"r{x_case.pk}-note": "Operator sedang dilatih DPMD"})
    assert response.status_code == 302
    nxt.refresh_from_db()
    assert client.post(f"/pertemuan/{nxt.pk}/finalkan/", {"version": nxt.version}).status_code == 302
    nxt.refresh_from_db()
    assert nxt.status == MeetingStatus.FINALISED
    assert set(AgendaItem.objects.filter(meeting=nxt).values_list("outcome", flat=True)) == {
        ReviewOutcome.CONFIRMED, ReviewOutcome.STILL_OPEN}


def test_a_review_against_a_case_changed_meanwhile_is_a_conflict_that_keeps_the_note(client, world, second_meeting):
    nxt, x_case, _ondor = second_meeting
    seen = x_case.version
    step(x_case, world.kecamatan_user, "escalate", "Mohon DPMD")  # someone else acts in between
    client.force_login(world.kecamatan_user)
    response = client.post(f"/pertemuan/{nxt.pk}/tinjauan/{x_case.pk}/", {
        f"r{x_case.pk}-outcome": "re_escalated", f"r{x_case.pk}-note": "Masih belum ada pendampingan",
        f"r{x_case.pk}-version": seen})
    assert response.status_code == 409
    body = response.content.decode()
    assert "telah diubah oleh orang lain" in body and "Masih belum ada pendampingan" in body
    assert AgendaItem.objects.get(meeting=nxt, case=x_case).outcome == ""


def test_a_finalised_sheet_is_shared_back_read_only_with_a_per_desa_link(client, world, second_meeting):
    nxt, x_case, _ondor = second_meeting
    first = x_case.meeting
    client.force_login(world.kecamatan_user)
    body = client.get(f"/pertemuan/{first.pk}/").content.decode()
    links = re.findall(r'href="(/bagikan/[^"]+)"', body)
    assert len(links) == 2
    x_link = next(link for link in links if f"/desa/{world.desa_a1.pk}/" in link)
    client.logout()
    shared = client.get(x_link)
    assert shared.status_code == 200
    text = shared.content.decode()
    assert "Laporan keuangan desa terlambat" in text and "Para-para" not in text and "<form" not in text.split(
        "</header>")[-1].replace('class="lang"', "")
    # Editing the desa id into another village's id does not open that village's sheet.
    assert client.get(x_link.replace(f"/desa/{world.desa_a1.pk}/", f"/desa/{world.desa_a1b.pk}/")).status_code == 404
    # A meeting not yet final has no shared copy.
    from casework.meeting_selectors import desa_share_key

    assert client.get(f"/bagikan/{nxt.share_token}/desa/{world.desa_a1.pk}/"
                      f"{desa_share_key(nxt, world.desa_a1.pk)}/").status_code == 404


def test_a_programme_admin_also_sees_only_lessons_of_the_meetings_kabupaten(client, world, prepared, lessons):
    client.force_login(world.admin_user)
    body = client.get(f"/pertemuan/{prepared.pk}/desa/{world.desa_a1.pk}/pembelajaran/",
                      {"obstacle": "Penyuluh pertanian tidak hadir"}).content.decode()
    assert "Jadwal kunjungan penyuluh disepakati" in body and "Rahasia kabupaten lain" not in body
