"""The guide's own example (Matriks 3, "Desa X", 28 March 2024), walked through the pages a kecamatan officer uses.

Two goals; the late village financial report that blocks Dana Desa for BUMDES
capital; the absent agricultural extension officer. Both become cases, one is
escalated, and at the next meeting both are on the agenda for review.
"""
from __future__ import annotations

import re

from casework.models import Case, CaseState, IntermediateGoal, Meeting, MeetingStatus
from tests.factories import ActivityFactory, MainGoalFactory

FINANCE = ("Keterlambatan penyelesaian pertanggungjawaban keuangan desa periode sebelumnya menyebabkan DD belum "
           "bisa dicairkan untuk digunakan sebagai penyertaan modal ke BUMDES.")
EXTENSION = "Penyuluh pertanian tidak hadir pada pertemuan kelompok yang mengagendakan pelatihan pengendalian hama."


def _plan_of_desa_x(world):
    """Matriks 1 of Desa X: the guide's two main goals with an intermediate goal and their activities."""
    goal_debt = world.goal_a1  # "Semua warga terbebas dari hutang pada rentenir", with "Penyerahan modal Desa di BUMDES"
    goal_debt.target, goal_debt.target_year = "Semua warga terbebas dari hutang pada rentenir", 2025
    goal_debt.position = 0  # the factory's sequence passes 99 when many tests ran before this one
    goal_debt.save()
    IntermediateGoal.objects.create(main_goal=goal_debt, statement="Petani punya alternatif penjualan hasil panen "
                                                                  "dengan harga stabil saat panen")
    pests = MainGoalFactory(plan=world.plan_a1, position=99, statement="Serangan hama dapat diatasi",
                            target="Minimal 75% ladang jagung terbebas dari serangan hama xx di tahun 2024")
    ActivityFactory(main_goal=pests, name="Pelatihan penanganan hama xx di kelompok tani jagung")
    return goal_debt, pests


def _new_meeting(client, world, day: str) -> Meeting:
    response = client.post("/pertemuan/baru/", {
        "kecamatan": world.kec_a1.pk, "date": day, "place": "Kantor Camat Pulau Gorom",
        f"urutan_{world.desa_a1.pk}": "1", f"urutan_{world.desa_a1b.pk}": "2"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    meeting = Meeting.objects.get(pk=int(re.search(r"/pertemuan/(\d+)/", response["Location"]).group(1)))
    assert client.post(f"/pertemuan/{meeting.pk}/siapkan/", {"version": meeting.version}).status_code == 302
    return meeting


def test_the_guides_matriks_3_example_from_meeting_to_review(client, world):
    goal_debt, goal_pests = _plan_of_desa_x(world)
    client.force_login(world.kecamatan_user)

    # 28 March 2024: the coordination meeting; Desa X's sheet is laid out from its plan.
    first = _new_meeting(client, world, "2024-03-28")
    sheet_url = f"/pertemuan/{first.pk}/desa/{world.desa_a1.pk}/"
    sheet = client.get(sheet_url).content.decode()
    assert "28 Maret 2024" in sheet
    assert sheet.index("Semua warga terbebas dari hutang") < sheet.index("Petani punya alternatif") \
        < sheet.index("Penyerahan modal Desa di BUMDES") < sheet.index("Serangan hama dapat diatasi")

    # The two obstacles of Matriks 3, each against its goal.
    for goal, obstacle, cause, solution, support in (
        (goal_debt, FINANCE, "Aparat/operator desa baru diganti dan belum sempat dilatih.",
         "Meminta pendampingan intensif dari DPMD dan pendamping desa dalam menyelesaikan pelaporan keuangan desa.",
         "Pelatihan pelaporan keuangan desa dari DPMD bagi operator desa yang baru."),
        (goal_pests, EXTENSION, "Belum ada penyuluh yang dijadwalkan untuk desa X.",
         "Meminta dinas pertanian untuk bisa menjadwalkan kunjungan penyuluh pertanian ke desa dalam waktu dekat.",
         "Penjadwalan penyuluh pertanian; nomor kontak penyuluh untuk desa X."),
    ):
        response = client.post(f"{sheet_url}kendala/", {"target": f"goal:{goal.pk}", "obstacle": obstacle,
                                                        "cause": cause, "solution": solution,
                                                        "support_needed": support, "support_from": "kabupaten"})
        assert response.status_code == 302
    finance = Case.objects.get(obstacle=FINANCE)
    extension = Case.objects.get(obstacle=EXTENSION)
    assert finance.main_goal == goal_debt and extension.main_goal == goal_pests
    assert {finance.state, extension.state} == {CaseState.RAISED}
    sheet = client.get(sheet_url).content.decode()
    assert "DD belum bisa dicairkan" in sheet and "Penyuluh pertanian tidak hadir" in sheet

    # The financial report needs the kabupaten: escalated from the case page.
    response = client.post(f"/kasus/{finance.pk}/aksi/escalate/", {
        "escalate-version": finance.version,
        "escalate-note": "Pendampingan intensif DPMD/pendamping desa untuk laporan keuangan; pelatihan operator baru."})
    assert response.status_code == 302
    finance.refresh_from_db()
    assert finance.state == CaseState.ESCALATED

    assert client.post(f"/pertemuan/{first.pk}/finalkan/", {"version": Meeting.objects.get(pk=first.pk).version}
                       ).status_code == 302
    assert Meeting.objects.get(pk=first.pk).status == MeetingStatus.FINALISED

    # The next meeting: both cases are carried over for review under Desa X, with what happened since.
    second = _new_meeting(client, world, "2024-07-10")
    review = client.get(f"/pertemuan/{second.pk}/tinjauan/").content.decode()
    desa_x = review[review.index("1. Desa X"):]
    assert "DD belum bisa dicairkan" in desa_x and "Penyuluh pertanian tidak hadir" in desa_x
    assert "Diangkat &rarr; Dieskalasi" in desa_x
    assert "2 kasus belum ditinjau" in review
    detail = client.get(f"/pertemuan/{second.pk}/").content.decode()
    assert f"#{finance.pk}" in detail and f"#{extension.pk}" in detail and "belum dapat difinalkan" in detail
    response = client.post(f"/pertemuan/{second.pk}/finalkan/", {"version": Meeting.objects.get(pk=second.pk).version})
    assert response.status_code == 400
    assert Meeting.objects.get(pk=second.pk).status == MeetingStatus.PREPARED
