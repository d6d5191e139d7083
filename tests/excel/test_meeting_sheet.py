"""The meeting sheet (Matriks 2): export, fill offline, import, import again."""
from __future__ import annotations

import zipfile

import openpyxl
import pytest
from django.http import Http404

from casework.models import Case, CaseEvent
from casework.services.meetings import meeting_record_obstacle
from excel.layout import COL, HEADER_ROW
from excel.services.common import ImportRefused
from excel.services.exports import export_meeting_sheet
from excel.services.meetings import meeting_import_commit, meeting_import_preview

pytestmark = pytest.mark.django_db


def export(world, meeting, tmp_path, user=None, **kw):
    path = tmp_path / "matriks2.xlsx"
    with path.open("wb") as fh:
        export_meeting_sheet(user=user or world.kecamatan_user, meeting_id=meeting.pk, fh=fh, **kw)
    return path


def find_row(ws, column: int, startswith: str) -> int:
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        if str(ws.cell(row, column).value or "").startswith(startswith):
            return row
    raise AssertionError(f"no row starting with {startswith!r}")


def test_it_lays_out_the_sheet_from_the_plan_for_printing(world, meeting, tmp_path):
    meeting_record_obstacle(user=world.kecamatan_user, meeting_id=meeting.pk, desa_id=world.desa_a1.pk,
                            obstacle="Laporan keuangan desa terlambat", cause="Operator baru",
                            activity=world.activity_a1)
    wb = openpyxl.load_workbook(export(world, meeting, tmp_path))
    assert wb.sheetnames == ["X", "Ondor"]
    ws = wb["X"]
    assert ws["A1"].value == "Desa: X"
    assert ws["A2"].value == "Tanggal pelaksanaan koordinasi: 28 Maret 2024"
    assert [c.value for c in ws[HEADER_ROW]][:7] == [
        "Tujuan dan target", "Kegiatan atau aktivitas", "Kendala/Tantangan yang dihadapi dan pembelajaran",
        "Penyebab", "Gagasan solusi & tindak lanjut", "Dukungan yang dibutuhkan", "Dukungan dari"]
    goal_row = find_row(ws, COL["goal"], "1. Semua warga terbebas")
    activity_row = find_row(ws, COL["activity"], "• Penyerahan modal Desa di BUMDES")
    assert activity_row > goal_row
    assert ws.cell(activity_row, COL["obstacle"]).value == "Laporan keuangan desa terlambat"
    assert ws.cell(activity_row, COL["cause"]).value == "Operator baru"
    assert "c=" in ws.cell(activity_row, COL["ref"]).value
    assert ws.column_dimensions["H"].hidden
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.cell(goal_row, COL["goal"]).alignment.wrap_text
    [dv] = ws.data_validations.dataValidation
    assert dv.formula1 == '"Desa sendiri,Kecamatan,Kabupaten/OPD"' and str(dv.sqref).startswith("G6:")


def test_one_desa_only(world, meeting, tmp_path):
    wb = openpyxl.load_workbook(export(world, meeting, tmp_path, desa_id=world.desa_a1b.pk))
    assert wb.sheetnames == ["Ondor"]
    with pytest.raises(Http404):
        export(world, meeting, tmp_path, desa_id=world.desa_a2.pk)


def test_it_round_trips_and_a_second_upload_changes_nothing(world, meeting, tmp_path):
    existing = meeting_record_obstacle(user=world.kecamatan_user, meeting_id=meeting.pk, desa_id=world.desa_a1.pk,
                                       obstacle="Laporan keuangan desa terlambat", activity=world.activity_a1)
    path = export(world, meeting, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["X"]
    # Fill in offline: a new obstacle on the goal's first spare row, and the existing case's solution.
    activity_row = find_row(ws, COL["activity"], "• Penyerahan modal")
    ws.cell(activity_row, COL["solution"]).value = "Minta pendampingan DPMD"
    ws.cell(activity_row, COL["support_from"]).value = "Kabupaten/OPD"
    spare = activity_row + 1
    assert ws.cell(spare, COL["ref"]).value.startswith("g=")
    ws.cell(spare, COL["obstacle"]).value = "Penyuluh pertanian tidak hadir"
    ws.cell(spare, COL["cause"]).value = "Belum ada jadwal"
    ws.cell(spare, COL["support_needed"]).value = "Jadwal kunjungan penyuluh"
    ws.cell(spare, COL["support_from"]).value = "kabupaten/opd"
    ondor = wb["Ondor"]
    other = find_row(ondor, COL["goal"], "Kendala lain")
    ondor.cell(other + 1, COL["obstacle"]).value = "Jalan ke kebun rusak"
    wb.save(path)

    preview = meeting_import_preview(user=world.kecamatan_user, meeting_id=meeting.pk, path=path)
    assert preview["ok"], preview["problems"]
    assert preview["summary"] == {"creates": 2, "updates": 1, "unchanged": 0}
    assert Case.objects.count() == 1  # the preview writes nothing

    result = meeting_import_commit(user=world.kecamatan_user, meeting_id=meeting.pk, path=path)
    assert (result["created"], result["updated"]) == (2, 1)
    new = Case.objects.get(obstacle="Penyuluh pertanian tidak hadir")
    assert (new.meeting, new.desa, new.main_goal, new.activity) == (meeting, world.desa_a1, world.goal_a1, None)
    assert (new.cause, new.support_needed, new.support_from) == ("Belum ada jadwal", "Jadwal kunjungan penyuluh",
                                                                 "kabupaten")
    assert Case.objects.get(obstacle="Jalan ke kebun rusak").desa == world.desa_a1b
    existing.refresh_from_db()
    assert existing.solution == "Minta pendampingan DPMD" and existing.support_from == "kabupaten"
    assert existing.events.filter(kind="edited").count() == 1

    counts = (Case.objects.count(), CaseEvent.objects.count())
    versions = list(Case.objects.order_by("pk").values_list("version", flat=True))
    again = meeting_import_preview(user=world.kecamatan_user, meeting_id=meeting.pk, path=path)
    assert again["summary"] == {"creates": 0, "updates": 0, "unchanged": 3}
    meeting_import_commit(user=world.kecamatan_user, meeting_id=meeting.pk, path=path)
    assert (Case.objects.count(), CaseEvent.objects.count()) == counts
    assert list(Case.objects.order_by("pk").values_list("version", flat=True)) == versions

    # A freshly exported sheet now carries all three cases and imports as "nothing to do".
    fresh = export(world, meeting, tmp_path)
    assert meeting_import_preview(user=world.kecamatan_user, meeting_id=meeting.pk,
                                  path=fresh)["summary"] == {"creates": 0, "updates": 0, "unchanged": 3}


def test_a_file_with_one_bad_row_changes_nothing(world, meeting, tmp_path):
    path = export(world, meeting, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["X"]
    row = find_row(ws, COL["activity"], "• Penyerahan modal")
    ws.cell(row, COL["obstacle"]).value = "Kendala yang sah"
    ws.cell(row + 1, COL["cause"]).value = "Penyebab tanpa kendala"
    ws.cell(row + 2, COL["obstacle"]).value = "Kendala lain"
    ws.cell(row + 2, COL["support_from"]).value = "Gubernur"
    wb.save(path)
    preview = meeting_import_preview(user=world.kecamatan_user, meeting_id=meeting.pk, path=path)
    assert not preview["ok"]
    texts = [p["text"] for p in preview["problems"]]
    assert any(f"lembar 'X', baris {row + 1}, kolom C" in t and "kendala kosong" in t for t in texts)
    assert any(f"baris {row + 2}, kolom G" in t and "Dukungan dari" in t for t in texts)
    with pytest.raises(ImportRefused):
        meeting_import_commit(user=world.kecamatan_user, meeting_id=meeting.pk, path=path)
    assert Case.objects.count() == 0


def test_it_reads_dates_as_text_and_rejects_nonsense(world, meeting, tmp_path):
    path = export(world, meeting, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["X"]["A2"].value = "Tanggal pelaksanaan koordinasi: 28/03/2024"
    wb["Ondor"]["A2"].value = "Tanggal pelaksanaan koordinasi:"
    wb["Ondor"]["B2"].value = "2024-03-28"
    wb.save(path)
    assert meeting_import_preview(user=world.kecamatan_user, meeting_id=meeting.pk, path=path)["ok"]
    wb["X"]["A2"].value = "Tanggal pelaksanaan koordinasi: 31 Februari 2024"
    wb.save(path)
    preview = meeting_import_preview(user=world.kecamatan_user, meeting_id=meeting.pk, path=path)
    assert not preview["ok"]
    assert "Tanggal '31 Februari 2024' tidak dapat dibaca" in preview["problems"][0]["text"]
    assert "baris 2, kolom A" in preview["problems"][0]["text"]


def test_another_kecamatan_cannot_import_or_export(world, meeting, tmp_path):
    path = export(world, meeting, tmp_path)
    for user in (world.kecamatan_outsider, world.opd_user, world.pokja_outsider):
        with pytest.raises(Http404):
            export(world, meeting, tmp_path / "..", user=user)
        with pytest.raises(Http404):
            meeting_import_preview(user=user, meeting_id=meeting.pk, path=path)
    with pytest.raises(ImportRefused, match="Hanya staf kecamatan"):
        meeting_import_commit(user=world.pokja_user, meeting_id=meeting.pk, path=path)


def test_the_saved_xml_has_no_formula_for_a_malicious_case_text(world, meeting, tmp_path):
    nasty = ['=HYPERLINK("http://evil.example","klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd", "＝1+1",
             "-2+3", "\tTab di depan"]
    for text in nasty:
        meeting_record_obstacle(user=world.kecamatan_user, meeting_id=meeting.pk, desa_id=world.desa_a1.pk,
                                obstacle=text, cause=text)
    path = export(world, meeting, tmp_path)
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    ws = openpyxl.load_workbook(path)["X"]
    cells = [c for row in ws.iter_rows() for c in row if c.value in nasty or c.value == "Tab di depan"]
    assert {c.value for c in cells} >= set(nasty[:5])
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells if c.value in nasty[:5])


def test_spacing_differences_are_not_changes(world, meeting, tmp_path):
    meeting_record_obstacle(user=world.kecamatan_user, meeting_id=meeting.pk, desa_id=world.desa_a1.pk,
                            obstacle="Dua  spasi\r\n\r\nbaris kosong", cause="  ")
    path = export(world, meeting, tmp_path)
    preview = meeting_import_preview(user=world.kecamatan_user, meeting_id=meeting.pk, path=path)
    assert preview["summary"] == {"creates": 0, "updates": 0, "unchanged": 1}
