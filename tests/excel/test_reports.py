"""Matriks 4 and the kabupaten case register, opened with openpyxl and checked cell by cell."""
from __future__ import annotations

import zipfile
from datetime import timedelta

import openpyxl
import pytest
from django.http import Http404
from django.utils import timezone

from casework.models import Case
from casework.services.meetings import meeting_record_obstacle
from excel.services.exports import export_matriks4, export_register
from tests.conftest import make_case, step

pytestmark = pytest.mark.django_db


def test_matriks4_has_one_row_per_desa_filled_from_the_meetings_cases(world, meeting, tmp_path):
    meeting_record_obstacle(user=world.kecamatan_user, meeting_id=meeting.pk, desa_id=world.desa_a1.pk,
                            obstacle="DD belum cair", cause="Laporan keuangan terlambat",
                            solution="Pendampingan DPMD", support_needed="Pelatihan operator desa",
                            support_from="kabupaten")
    meeting_record_obstacle(user=world.kecamatan_user, meeting_id=meeting.pk, desa_id=world.desa_a1.pk,
                            obstacle="Penyuluh tidak hadir", solution="Jadwalkan kunjungan penyuluh")
    make_case(world, obstacle="Bukan dari pertemuan ini")
    path = tmp_path / "m4.xlsx"
    with path.open("wb") as fh:
        export_matriks4(user=world.kecamatan_user, meeting_id=meeting.pk, fh=fh)
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "Kecamatan: Pulau Gorom"
    assert [c.value for c in ws[4]] == ["No.", "Desa", "Tujuan dan upaya yang dilakukan desa",
                                       "Tantangan yang dihadapi desa dan penyebabnya",
                                       "Tindak lanjut atau dukungan yang dibutuhkan"]
    assert [ws["A5"].value, ws["B5"].value, ws["A6"].value, ws["B6"].value] == ["1.", "X", "2.", "Ondor"]
    assert ws["C5"].value == "• Semua warga terbebas dari hutang pada rentenir (Target)"
    assert ws["D5"].value == "• DD belum cair Penyebab: Laporan keuangan terlambat\n• Penyuluh tidak hadir"
    assert ws["E5"].value == ("• Pendampingan DPMD\n• Pelatihan operator desa (dukungan dari: Kabupaten/OPD)\n"
                              "• Jadwalkan kunjungan penyuluh")
    assert ws["D6"].value is None
    with pytest.raises(Http404):
        export_matriks4(user=world.kecamatan_outsider, meeting_id=meeting.pk, fh=(tmp_path / "x.xlsx").open("wb"))


def test_register_lists_every_case_in_scope_with_step_dates_and_overdue_days(world, tmp_path):
    escalated = make_case(world, obstacle="Penyuluh tidak hadir")
    step(escalated, world.kecamatan_user, "escalate", "Mohon jadwal penyuluh")
    step(escalated, world.pokja_user, "assign", "", opd=world.opd_a_tani,
         due_date=timezone.localdate() + timedelta(days=10))
    raised = make_case(world, obstacle="=HYPERLINK(\"http://evil.example\",\"klik\")")
    Case.objects.filter(pk=raised.pk).update(deadline_at=timezone.now() - timedelta(days=4, hours=1))
    make_case(world, desa=world.desa_a2, user=world.kecamatan_outsider, obstacle="Kecamatan lain")
    other_kab = make_case(world, desa=world.desa_b1, user=world.admin_user, obstacle="Kabupaten lain")

    path = tmp_path / "register.xlsx"
    with path.open("wb") as fh:
        n = export_register(user=world.pokja_user, fh=fh)
    assert n == 3
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[3]]
    assert header[:7] == ["No. kasus", "Ref", "Kabupaten", "Kecamatan", "Desa", "Pertemuan", "Kendala/Tantangan"]
    rows = {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=4, values_only=True)}
    assert other_kab.pk not in rows and len(rows) == 3
    row = rows[escalated.pk]
    assert (row["Status"], row["OPD"], row["Desa"], row["Kecamatan"]) == ("Ditugaskan", "Dinas Pertanian", "X",
                                                                          "Pulau Gorom")
    assert row["Diangkat"] is not None and row["Dieskalasi"] is not None and row["Ditugaskan"] is not None
    assert row["Diselesaikan"] is None and row["Hari terlambat"] is None
    assert row["Batas waktu penyelesaian"].date() == timezone.localdate() + timedelta(days=10)
    assert rows[raised.pk]["Hari terlambat"] in (4, 5)
    assert rows[raised.pk]["Status"] == "Diangkat"
    assert ws.auto_filter.ref == "A3:U6" and ws.freeze_panes == "C4"
    with zipfile.ZipFile(path) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()
    assert rows[raised.pk]["Kendala/Tantangan"].startswith("=HYPERLINK")

    with (tmp_path / "kec.xlsx").open("wb") as fh:
        assert export_register(user=world.kecamatan_user, fh=fh) == 2
    with (tmp_path / "opd.xlsx").open("wb") as fh:
        assert export_register(user=world.opd_user, fh=fh) == 1
    with pytest.raises(Http404), (tmp_path / "y.xlsx").open("wb") as fh:
        export_register(user=world.kecamatan_user, fh=fh, kecamatan_id=world.kec_a2.pk)


def test_register_uses_a_constant_number_of_queries(world, tmp_path, django_assert_max_num_queries):
    for i in range(30):
        make_case(world, obstacle=f"Kendala {i}")
    with django_assert_max_num_queries(4), (tmp_path / "r.xlsx").open("wb") as fh:
        export_register(user=world.pokja_user, fh=fh)
