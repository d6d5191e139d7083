"""The management commands, through call_command: previews, dry runs, refusals with a non-zero exit."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.models import Case, Plan
from excel.layout import COL
from tests.excel.conftest import guide_plan_workbook, save
from tests.excel.test_bad_files import encrypted
from tests.excel.test_meeting_sheet import find_row

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_plan_dry_run_prints_the_preview_and_saves_nothing(world, tmp_path):
    path = save(guide_plan_workbook(), tmp_path / "rencana.xlsx")
    out = run("import_plan", str(path), "--desa", "X", "--period", "2024", "--user", "kec_a1", "--dry-run")
    assert "versi baru 2" in out and "• Penyerahan modal Desa di BUMDES. (sumber: Dana Desa)" in out
    assert "--dry-run" in out and Plan.objects.count() == 1
    out = run("import_plan", str(path), "--desa", f"Pulau Gorom/X", "--period", "2024", "--user", "kec_a1")
    assert "versi 2" in out and Plan.objects.count() == 2


def test_import_plan_rejects_a_bad_file_with_a_non_zero_exit(world, tmp_path):
    path = tmp_path / "rahasia.xlsx"
    path.write_bytes(encrypted())
    with pytest.raises(CommandError, match="terenkripsi"):
        run("import_plan", str(path), "--desa", "X", "--period", "2024", "--user", "kec_a1")
    assert Plan.objects.count() == 1


def test_import_plan_refuses_a_desa_outside_the_users_scope(world, tmp_path):
    path = save(guide_plan_workbook(), tmp_path / "rencana.xlsx")
    with pytest.raises(CommandError, match="tidak ditemukan di wilayah"):
        run("import_plan", str(path), "--desa", "Argam", "--period", "2024", "--user", "kec_a1")
    with pytest.raises(CommandError, match="tidak ditemukan di wilayah"):
        run("import_plan", str(path), "--desa", str(world.desa_a1.pk), "--period", "2024", "--user", "kec_a2")


def test_meeting_sheet_export_then_import_by_command(world, meeting, tmp_path):
    path = tmp_path / "m2.xlsx"
    run("export_meeting_sheet", "--meeting", str(meeting.pk), "--user", "kec_a1", "-o", str(path))
    wb = openpyxl.load_workbook(path)
    ws = wb["X"]
    ws.cell(find_row(ws, COL["activity"], "• Penyerahan modal"), COL["obstacle"]).value = "DD belum cair"
    wb.save(path)
    out = run("import_meeting_sheet", str(path), "--meeting", str(meeting.pk), "--user", "kec_a1", "--dry-run")
    assert "1 kasus baru" in out and "+ [X baris" in out and Case.objects.count() == 0
    assert "1 kasus baru" in run("import_meeting_sheet", str(path), "--meeting", str(meeting.pk), "--user", "kec_a1")
    assert "0 kasus baru" in run("import_meeting_sheet", str(path), "--meeting", str(meeting.pk), "--user", "kec_a1")
    assert Case.objects.count() == 1
    ws.cell(find_row(ws, COL["activity"], "• Penyerahan modal") + 1, COL["support_from"]).value = "Presiden"
    ws.cell(find_row(ws, COL["activity"], "• Penyerahan modal") + 1, COL["obstacle"]).value = "Kendala lain"
    wb.save(path)
    with pytest.raises(CommandError) as exc:
        run("import_meeting_sheet", str(path), "--meeting", str(meeting.pk), "--user", "kec_a1")
    assert "kolom G" in str(exc.value) and "Dukungan dari" in str(exc.value)
    assert Case.objects.count() == 1


def test_report_exports_by_command(world, meeting, tmp_path):
    m4 = tmp_path / "m4.xlsx"
    run("export_matriks4", "--meeting", str(meeting.pk), "--user", "kec_a1", "-o", str(m4))
    assert openpyxl.load_workbook(m4).active["A1"].value == "Kecamatan: Pulau Gorom"
    reg = tmp_path / "reg.xlsx"
    assert "(0 kasus)" in run("export_register", "--user", "pokja_a", "-o", str(reg))
    with pytest.raises(CommandError, match="di luar wilayah"):
        run("export_matriks4", "--meeting", str(meeting.pk), "--user", "kec_a2", "-o", str(tmp_path / "no.xlsx"))
    assert not (tmp_path / "no.xlsx").exists()
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("export_register", "--user", "nobody", "-o", str(reg))


def test_commands_explain_themselves_in_indonesian():
    from excel.management.commands import import_plan

    parser = import_plan.Command().create_parser("manage.py", "import_plan")
    text = parser.format_help()
    assert "Impor rencana penghidupan desa" in text and "--dry-run" in text and "wilayah" in text


def test_benchmark_runs_and_leaves_nothing_behind(world):
    before = Case.objects.count()
    out = run("benchmark_export_register", "--cases", "300", "--batch", "100")
    assert "Ekspor register: 300 baris" in out and "Memori puncak" in out
    assert Case.objects.count() == before
