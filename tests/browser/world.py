"""The world the browser story starts from, built the way users build it: the demo command for regions,
OPDs, logins and village plans, then the real services for what other people did before the story.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]

# What another village already solved: the "similar obstacle elsewhere" the story must be shown.
LESSON_OBSTACLE = "Penyuluh pertanian jarang hadir pada pertemuan kelompok tani di Desa Argam."
LESSON_RESOLUTION = "Kepala desa mengirim surat undangan bulanan; penyuluh kini hadir setiap pertemuan kelompok tani."
# A case of another agency (DPMD), which the Dinas Pertanian officer must never see.
OTHER_AGENCY_OBSTACLE = "Jalan usaha tani di Desa Magat rusak berat sejak banjir."


def tanggal(day: date) -> str:
    """A date the way Indonesian readers write it: 28 Maret 2024 (independent of Django's formats)."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


@dataclass
class StoryWorld:
    lesson_case_id: int
    other_agency_case_id: int
    today: date  # in the kabupaten's own time zone (WIT)


def build_story_world() -> StoryWorld:
    from django.core.management import call_command

    from accounts.models import User
    from casework.models import Desa, Kecamatan
    from casework.services.cases import case_transition
    from casework.services.meetings import meeting_create, meeting_prepare, meeting_record_obstacle
    from escalation.models import OPD
    from escalation.policy import default_due_date

    call_command("seed_demo", "--no-cases", "--quiet")
    kec_panjang_user = User.objects.get(username="kec.panjang")
    pokja = User.objects.get(username="pokja.sbt")
    panjang = Kecamatan.objects.get(name="Pulau Panjang")
    argam = Desa.objects.get(kecamatan=panjang, name="Argam")
    magat = Desa.objects.get(kecamatan=panjang, name="Magat")
    today = datetime.now(ZoneInfo(panjang.kabupaten.timezone)).date()

    meeting = meeting_create(user=kec_panjang_user, kecamatan_id=panjang.pk, date=date(2024, 3, 14),
                             place="Kantor Camat Pulau Panjang", desa_ids=[argam.pk, magat.pk])
    meeting_prepare(user=kec_panjang_user, meeting_id=meeting.pk)
    lesson = meeting_record_obstacle(user=kec_panjang_user, meeting_id=meeting.pk, desa_id=argam.pk,
                                     obstacle=LESSON_OBSTACLE, cause="Jadwal penyuluh tidak diketahui desa.",
                                     solution="Desa mengundang penyuluh secara tertulis.")
    case_transition(user=kec_panjang_user, case_id=lesson.pk, action="resolve_locally",
                    expected_version=lesson.version, note=LESSON_RESOLUTION, resolved_by="Pemerintah Desa Argam")

    other = meeting_record_obstacle(user=kec_panjang_user, meeting_id=meeting.pk, desa_id=magat.pk,
                                    obstacle=OTHER_AGENCY_OBSTACLE, support_needed="Perbaikan jalan",
                                    support_from="kabupaten")
    other = case_transition(user=kec_panjang_user, case_id=other.pk, action="escalate",
                            expected_version=other.version, note="Mohon perbaikan jalan dari kabupaten.")
    dpmd = OPD.objects.get(kabupaten=panjang.kabupaten, short_name="DPMD")
    case_transition(user=pokja, case_id=other.pk, action="assign", expected_version=other.version,
                    opd=dpmd, due_date=default_due_date(panjang.kabupaten_id))
    return StoryWorld(lesson_case_id=lesson.pk, other_agency_case_id=other.pk, today=today)
