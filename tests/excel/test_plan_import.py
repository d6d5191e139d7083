"""Importing village plans (Matriks 1) from real .xlsx files, in both layouts."""
from __future__ import annotations

import pytest
from django.http import Http404

from casework.models import Activity, FundingSource, Plan
from excel.services.common import ImportRefused
from excel.services.plans import plan_import_commit, plan_import_preview
from tests.excel.conftest import guide_plan_workbook, matriks10_workbook, save

pytestmark = pytest.mark.django_db


def test_it_reads_the_guide_layout_with_merges_bullets_and_spacers(world, tmp_path):
    path = save(guide_plan_workbook(), tmp_path / "rencana.xlsx")
    preview = plan_import_preview(user=world.kecamatan_user, desa_id=world.desa_a1.pk, period="2024", path=path)
    assert preview["ok"], preview["problems"]
    assert preview["layout"] == "matriks1"
    assert preview["version"] == 2  # the world already has version 1 for 2024
    assert preview["summary"]["goals"] == 2
    assert preview["summary"]["activities"] == 8
    first, second = preview["goals"]
    assert first["statement"] == "Semua warga terbebas dari hutang pada rentenir"
    assert first["target"] == "di tahun 2025" and first["target_year"] == 2025
    assert first["intermediate"] == [{"statement": "Petani punya alternatif penjualan hasil panen dengan harga stabil "
                                                   "saat panen", "target_value": "di capai di tahun 2025"}]
    names = [a["name"] for a in first["activities"]]
    assert names[:2] == ["Musyawarah penetapan penyertaan modal di BUMDES.", "Penyerahan modal Desa di BUMDES."]
    assert names[4:] == ["Sosialisasi program pembelian hasil panen oleh BUMDES", "Pembelian hasil panen"]
    assert first["activities"][3]["funding"] == ["CSR", "Operasional BUMDES"]
    assert first["activities"][3]["description"] == "Dikerjakan sebagai bagian dari pelatihan."
    assert first["activities"][4]["funding"] == [] and first["activities"][4]["description"] == ""
    assert second["target_year"] == 2024
    assert [a["funding"] for a in second["activities"]] == [["Swadaya", "Dinas Pertanian"],
                                                            ["Swadaya", "Dinas Pertanian"]]


def test_it_commits_a_new_version_with_funding_sources(world, tmp_path):
    FundingSource.objects.create(name="Dana Desa")
    path = save(guide_plan_workbook(), tmp_path / "rencana.xlsx")
    plan = plan_import_commit(user=world.kecamatan_user, desa_id=world.desa_a1.pk, period="2024", path=path,
                              source_name="rencana.xlsx")
    assert (plan.desa, plan.period, plan.version, plan.created_by) == (world.desa_a1, "2024", 2, world.kecamatan_user)
    assert plan.goals.count() == 2
    act = Activity.objects.get(main_goal__plan=plan, name__startswith="Pembuatan business plan")
    assert act.funding_note == "CSR & Operasional BUMDES"
    assert sorted(act.funding_sources.values_list("name", flat=True)) == ["CSR", "Operasional BUMDES"]
    assert act.intermediate_goal.statement.startswith("Petani punya alternatif")
    assert FundingSource.objects.filter(name__iexact="dana desa").count() == 1
    assert FundingSource.objects.filter(name="Dinas Pertanian").exists()
    again = plan_import_commit(user=world.kecamatan_user, desa_id=world.desa_a1.pk, period="2024", path=path)
    assert again.version == 3


def test_it_reads_the_matriks_10_layout(world, tmp_path):
    path = save(matriks10_workbook(), tmp_path / "m10.xlsx")
    preview = plan_import_preview(user=world.kecamatan_user, desa_id=world.desa_a1b.pk, period="2024-2026", path=path)
    assert preview["ok"], preview["problems"]
    assert preview["layout"] == "matriks10" and preview["version"] == 1 and preview["period"] == "2024-2026"
    [goal] = preview["goals"]
    assert goal["statement"] == "MENINGKATKAN PENYADARAN PETANI" and goal["target"] == "10-20% MENINGKAT"
    assert [i["statement"] for i in goal["intermediate"]] == [
        "MELEWATI TAHAPAN sawah", "BERJALANNYA KOORDINASI KOMUNITAS PETANI & PENYULUH",
        "PETANI TERLATIH MENGENDALIKAN HAMA"]
    assert goal["intermediate"][1]["target_value"] == "Minimal 3 x DALAM 1 TAHUN"
    assert [a["name"] for a in goal["activities"]] == ["Adanya edukasi lewat pertemuan dgn penyuluh",
                                                       "PERTEMUAN KEL. TANI", "PELATIHAN PENGENDALIAN HAMA"]
    plan = plan_import_commit(user=world.kecamatan_user, desa_id=world.desa_a1b.pk, period="2024-2026", path=path)
    acts = list(Activity.objects.filter(main_goal__plan=plan).order_by("position"))
    assert [a.intermediate_goal.position for a in acts] == [1, 2, 3]


def test_it_reports_a_missing_header_with_the_sheet(world, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Catatan"
    wb.active.append(["Nama", "Alamat"])
    wb.active.append(["Budi", "Dusun 1"])
    path = save(wb, tmp_path / "lain.xlsx")
    preview = plan_import_preview(user=world.kecamatan_user, desa_id=world.desa_a1.pk, period="2024", path=path)
    assert not preview["ok"]
    assert "Judul kolom rencana tidak ditemukan" in preview["problems"][0]["text"]
    assert "lembar 'Catatan'" in preview["problems"][0]["text"]
    with pytest.raises(ImportRefused):
        plan_import_commit(user=world.kecamatan_user, desa_id=world.desa_a1.pk, period="2024", path=path)
    assert Plan.objects.count() == 1


def test_it_refuses_a_desa_outside_the_users_scope(world, tmp_path):
    path = save(guide_plan_workbook(), tmp_path / "rencana.xlsx")
    with pytest.raises(Http404):
        plan_import_preview(user=world.kecamatan_outsider, desa_id=world.desa_a1.pk, period="2024", path=path)
    with pytest.raises(Http404):
        plan_import_commit(user=world.kecamatan_outsider, desa_id=world.desa_a1.pk, period="2024", path=path)
    with pytest.raises(ImportRefused):
        plan_import_commit(user=world.opd_user, desa_id=world.desa_a1.pk, period="2024", path=path)
    assert Plan.objects.count() == 1


def test_it_refuses_a_bad_period(world, tmp_path):
    path = save(guide_plan_workbook(), tmp_path / "rencana.xlsx")
    with pytest.raises(ImportRefused, match="Periode"):
        plan_import_preview(user=world.kecamatan_user, desa_id=world.desa_a1.pk, period="tahun ini", path=path)
