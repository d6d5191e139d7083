"""Cases in every state, made through the real services, so every page has something to show.

Runs once: a meeting marked ``[demo]`` in its notes tells a second run it is done.
"""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from casework.models import Case, Meeting
from casework.services.cases import case_acknowledge, case_add_progress, case_transition
from casework.services.meetings import meeting_create, meeting_finalise, meeting_prepare, meeting_record_obstacle
from escalation.policy import refresh_case_deadline

MARKER = "[demo]"


def _step(case: Case, user, action: str, note: str = "", **fields) -> Case:
    case.refresh_from_db()
    return case_transition(user=user, case_id=case.pk, action=action, expected_version=case.version, note=note,
                           **fields)


def build_scenario(*, regions, opds, users) -> None:
    if Meeting.objects.filter(notes__contains=MARKER).exists():
        return
    today = timezone.localdate()
    desa = regions["desa"]
    kec_gorom = users["kec.gorom"]
    pokja = users["pokja.sbt"]

    # 1. A finalised meeting in Pulau Gorom, with the guide's own Matriks 3 example for Desa X.
    m1 = meeting_create(user=kec_gorom, kecamatan_id=regions["kecamatan"][("Seram Bagian Timur", "Pulau Gorom")].pk,
                        date=today - timedelta(days=40), place="Aula Kantor Camat Pulau Gorom", chair="Camat Pulau Gorom",
                        desa_ids=[desa[("Pulau Gorom", n)].pk for n in ("X", "Ondor", "Kataloka")],
                        next_meeting_date=today + timedelta(days=5),
                        participants=[{"name": "Kepala Desa X", "kind": "desa", "organisation": "Desa X"},
                                      {"name": "Fasilitator BangKIT", "kind": "facilitator", "organisation": "BaKTI"}])
    Meeting.objects.filter(pk=m1.pk).update(notes=f"{MARKER} Pertemuan koordinasi pertama")
    m1 = meeting_prepare(user=kec_gorom, meeting_id=m1.pk)
    x = desa[("Pulau Gorom", "X")]
    plan = x.current_plan()
    goals = list(plan.goals.order_by("position"))
    finance = meeting_record_obstacle(
        user=kec_gorom, meeting_id=m1.pk, desa_id=x.pk, main_goal=goals[0],
        obstacle="Keterlambatan penyelesaian pertanggungjawaban keuangan desa periode sebelumnya menyebabkan DD "
                 "belum bisa dicairkan untuk digunakan sebagai penyertaan modal ke BUMDES. Hal ini turut "
                 "mempengaruhi keterlambatan kegiatan lain yang saling terkait (6 dari 7 kegiatan).",
        cause="Aparat/operator desa baru diganti dan belum sempat dilatih.",
        solution="Meminta pendampingan intensif dari DPMD dan pendamping desa dalam menyelesaikan pelaporan "
                 "keuangan desa. Meminta pelatihan pelaporan keuangan desa dari DPMD bagi operator desa yang baru.",
        support_needed="Pendampingan intensif DPMD/pendamping desa; pelatihan operator desa baru.",
        support_from="kabupaten")
    penyuluh = meeting_record_obstacle(
        user=kec_gorom, meeting_id=m1.pk, desa_id=x.pk, main_goal=goals[1],
        obstacle="Penyuluh pertanian tidak hadir pada pertemuan kelompok yang mengagendakan pelatihan "
                 "pengendalian hama.",
        cause="Belum ada penyuluh yang dijadwalkan untuk desa X.",
        solution="Meminta dinas pertanian menjadwalkan kunjungan penyuluh pertanian ke desa dalam waktu dekat. "
                 "Meminta no kontak penyuluh untuk desa X.",
        support_needed="Penugasan/penjadwalan penyuluh pertanian dari dinas pertanian untuk desa X.",
        support_from="kabupaten")
    ondor = desa[("Pulau Gorom", "Ondor")]
    dryer = meeting_record_obstacle(
        user=kec_gorom, meeting_id=m1.pk, desa_id=ondor.pk,
        obstacle="Para-para penjemuran ikan rusak diterjang angin, ikan asin busuk saat musim hujan.",
        cause="Rangka kayu lapuk.", solution="Kelompok perempuan nelayan memperbaiki dengan bambu secara swadaya.",
        support_from="desa")
    kataloka = desa[("Pulau Gorom", "Kataloka")]
    seeds = meeting_record_obstacle(
        user=kec_gorom, meeting_id=m1.pk, desa_id=kataloka.pk,
        obstacle="Bibit sayur terlambat datang sehingga kebun pangan belum ditanami.",
        cause="Pengiriman kapal tertunda cuaca.", solution="Menunggu kapal berikutnya.", support_from="desa")
    _step(dryer, kec_gorom, "resolve_locally", "Para-para diperbaiki dengan bambu, dua unit kembali dipakai.",
          resolved_by="Kelompok perempuan nelayan Desa Ondor")
    _step(finance, kec_gorom, "escalate", "Pendampingan intensif DPMD dan pelatihan operator desa baru.")
    _step(penyuluh, kec_gorom, "escalate", "Penjadwalan kunjungan penyuluh pertanian ke Desa X.")
    meeting_finalise(user=kec_gorom, meeting_id=m1.pk)

    # 2. The Pokja routes both; DPMD acts and resolves, Dinas Pertanian lets its case run late.
    dpmd = opds[("Seram Bagian Timur", "DPMD")]
    pertanian = opds[("Seram Bagian Timur", "Dinas Pertanian")]
    _step(finance, pokja, "assign", "Mohon pendampingan laporan keuangan desa.", opd=dpmd,
          due_date=today + timedelta(days=20))
    finance.refresh_from_db()
    case_acknowledge(user=users["opd.dpmd"], case_id=finance.pk, expected_version=finance.version)
    case_add_progress(user=users["opd.dpmd"], case_id=finance.pk,
                      note="Pendamping desa sudah dijadwalkan dua kali seminggu di kantor desa.")
    _step(finance, users["opd.dpmd"], "resolve",
          "Laporan pertanggungjawaban selesai dan diterima; DD tahap I sudah cair. Operator desa baru ikut "
          "pelatihan pelaporan keuangan di Bula.")
    _step(penyuluh, pokja, "assign", "Mohon penyuluh dijadwalkan ke Desa X.", opd=pertanian,
          due_date=today + timedelta(days=1))
    # Demo only: move the assignment into the past so the overdue pages have a real example.
    past = timezone.now() - timedelta(days=25)
    Case.objects.filter(pk=penyuluh.pk).update(due_date=today - timedelta(days=10), state_changed_at=past)
    penyuluh.refresh_from_db()
    refresh_case_deadline(penyuluh)
    penyuluh.save(update_fields=["deadline_at", "deadline_kind", "update_due_at"])

    # 3. Pulau Panjang: a meeting held, one case waiting in the Pokja inbox, one still with the kecamatan.
    kec_panjang = users["kec.panjang"]
    m2 = meeting_create(user=kec_panjang,
                        kecamatan_id=regions["kecamatan"][("Seram Bagian Timur", "Pulau Panjang")].pk,
                        date=today - timedelta(days=12), place="Kantor Camat Pulau Panjang",
                        desa_ids=[desa[("Pulau Panjang", n)].pk for n in ("Argam", "Magat")])
    Meeting.objects.filter(pk=m2.pk).update(notes=MARKER)
    meeting_prepare(user=kec_panjang, meeting_id=m2.pk)
    argam = desa[("Pulau Panjang", "Argam")]
    hama = meeting_record_obstacle(
        user=kec_panjang, meeting_id=m2.pk, desa_id=argam.pk,
        obstacle="Serangan hama pada ladang jagung, kelompok tani belum tahu cara pengendaliannya.",
        cause="Belum ada pelatihan pengendalian hama.", solution="Meminta pelatihan dari penyuluh pertanian.",
        support_needed="Pelatihan pengendalian hama jagung", support_from="kabupaten")
    _step(hama, kec_panjang, "escalate", "Pelatihan pengendalian hama jagung oleh penyuluh.")
    magat = desa[("Pulau Panjang", "Magat")]
    meeting_record_obstacle(
        user=kec_panjang, meeting_id=m2.pk, desa_id=magat.pk,
        obstacle="Harga kopra jatuh saat panen, petani menjual ke tengkulak.",
        cause="Belum ada gudang penyimpanan desa.", solution="Dibahas di musyawarah desa bersama BUMDES.",
        support_from="desa")

    # 4. Sumba Barat Daya: an assigned case in another kabupaten (outside SBT users' scope).
    kec_kodi = users["kec.kodi"]
    m3 = meeting_create(user=kec_kodi,
                        kecamatan_id=regions["kecamatan"][("Sumba Barat Daya", "Kodi Balaghar")].pk,
                        date=today - timedelta(days=20), place="Kantor Camat Kodi Balaghar",
                        desa_ids=[desa[("Kodi Balaghar", "Wainyapu")].pk])
    Meeting.objects.filter(pk=m3.pk).update(notes=MARKER)
    meeting_prepare(user=kec_kodi, meeting_id=m3.pk)
    garam = meeting_record_obstacle(
        user=kec_kodi, meeting_id=m3.pk, desa_id=desa[("Kodi Balaghar", "Wainyapu")].pk,
        obstacle="Produksi garam dimasak terhenti karena kayu bakar makin sulit didapat.",
        cause="Kayu bakar dari hutan sekitar sudah berkurang.", solution="Mencoba tungku hemat kayu.",
        support_needed="Pendampingan teknologi tungku hemat energi", support_from="kabupaten")
    _step(garam, kec_kodi, "escalate", "Pendampingan teknologi tungku hemat energi.")
    _step(garam, users["pokja.sbd"], "assign", "", opd=opds[("Sumba Barat Daya", "Dinas Pertanian")],
          due_date=today + timedelta(days=30))

    # 5. The next Pulau Gorom meeting, scheduled: its preparation will carry the open cases over.
    meeting_create(user=kec_gorom, kecamatan_id=regions["kecamatan"][("Seram Bagian Timur", "Pulau Gorom")].pk,
                   date=today + timedelta(days=5), place="Aula Kantor Camat Pulau Gorom", chair="Camat Pulau Gorom",
                   desa_ids=[desa[("Pulau Gorom", n)].pk for n in ("X", "Ondor", "Kataloka", "Rumeon")])
    _escalation_examples(regions=regions, opds=opds, users=users, seeds=seeds, hama=hama, m2=m2)


def _escalation_examples(*, regions, opds, users, seeds: Case, hama: Case, m2: Meeting) -> None:
    """What the Pokja inbox, the OPD workspace, the Rakor page and the dashboards need to show."""
    from escalation.models import Rakor

    today = timezone.localdate()
    pokja, pertanian_officer = users["pokja.sbt"], users["opd.pertanian"]
    pertanian = opds[("Seram Bagian Timur", "Dinas Pertanian")]
    # A case the agency returned as "not our mandate": back in the inbox, marked, with the reason.
    _step(seeds, users["kec.gorom"], "escalate", "Bantuan bibit sayur untuk kebun pangan Kataloka.")
    _step(seeds, pokja, "assign", "Mohon bantuan bibit.", opd=pertanian, due_date=today + timedelta(days=30))
    _step(seeds, pertanian_officer, "return_case",
          "Bantuan bibit kebun pangan pekarangan dikelola Dinas Ketahanan Pangan, bukan Dinas Pertanian.")
    # The Pulau Panjang escalation has waited eight days: past the Pokja's five working days.
    Case.objects.filter(pk=hama.pk).update(state_changed_at=timezone.now() - timedelta(days=8))
    hama.refresh_from_db()
    refresh_case_deadline(hama)
    hama.save(update_fields=["deadline_at", "deadline_kind", "update_due_at"])
    # A case the agency has acknowledged and is working on.
    argam = regions["desa"][("Pulau Panjang", "Argam")]
    jalan = meeting_record_obstacle(
        user=users["kec.panjang"], meeting_id=m2.pk, desa_id=argam.pk,
        obstacle="Bibit jagung bantuan terlambat tiba sehingga musim tanam kelompok tani bergeser.",
        cause="Jadwal distribusi bibit dari kabupaten tidak mengikuti kalender tanam desa.",
        solution="Meminta dinas pertanian menyesuaikan jadwal distribusi.",
        support_needed="Penyesuaian jadwal distribusi bibit jagung", support_from="kabupaten")
    _step(jalan, users["kec.panjang"], "escalate", "Penyesuaian jadwal distribusi bibit jagung.")
    _step(jalan, pokja, "assign", "Mohon jadwal distribusi disesuaikan.", opd=pertanian,
          due_date=today + timedelta(days=21), assignee=pertanian_officer)
    jalan.refresh_from_db()
    case_acknowledge(user=pertanian_officer, case_id=jalan.pk, expected_version=jalan.version)
    case_add_progress(user=pertanian_officer, case_id=jalan.pk,
                      note="Jadwal distribusi sedang dibahas dengan penyedia; usulan jadwal baru minggu depan.")
    # Kodi Balaghar's next meeting is prepared: its open case is carried over for review (dashboard figure).
    kodi = regions["kecamatan"][("Sumba Barat Daya", "Kodi Balaghar")]
    follow_up = meeting_create(user=users["kec.kodi"], kecamatan_id=kodi.pk, date=today + timedelta(days=7),
                               place="Kantor Camat Kodi Balaghar",
                               desa_ids=[regions["desa"][("Kodi Balaghar", "Wainyapu")].pk])
    Meeting.objects.filter(pk=follow_up.pk).update(notes=MARKER)
    meeting_prepare(user=users["kec.kodi"], meeting_id=follow_up.pk)
    # The last Pokja coordination meeting, so "resolved since the last Rakor" has a start.
    Rakor.objects.get_or_create(kabupaten=regions["kabupaten"]["Seram Bagian Timur"],
                                date=today - timedelta(days=30), defaults={"notes": f"{MARKER} Rakor triwulan"})
