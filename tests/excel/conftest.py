"""Real .xlsx files built with openpyxl, and a prepared meeting of kecamatan A1 to import into."""
from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def save(wb, path: Path) -> Path:
    wb.save(path)
    return path


def guide_plan_workbook() -> openpyxl.Workbook:
    """The guide's Matriks 1 for Desa X, as a village types it: title rows, odd headers, merges, bullets, spacers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rencana Desa X"
    ws["A1"] = "DAFTAR RANCANGAN KEGIATAN BAGI PENGEMBANGAN PENGHIDUPAN DESA X"
    ws["A2"] = "Periode 2024"
    ws.append([])
    ws.append(["TUJUAN  &  target capaian", "Tujuan antara dan nilai target pencapaiannya",
               "Kegiatan-kegiatan yang  direncanakan", "KETERANGAN KEGIATAN", "Sumber\nPembiayaan"])
    ws.append(["1 Semua warga terbebas dari hutang pada rentenir (di tahun 2025).",
               "• Petani punya alternatif penjualan hasil panen dengan harga stabil saat panen (di capai di tahun "
               "2025).",
               "• Musyawarah penetapan penyertaan modal di BUMDES.\n• Penyerahan modal Desa di BUMDES.\n"
               "• Pelatihan pengelolaan unit usaha BUMDES.\n• Pembuatan business plan BUMDES.",
               "• Alokasi Dana untuk modal ditetapkan di musyawarah desa akhir tahun 2023.\n"
               "• Dana dialokasikan di pencairan dana desa tahap I 2024.\n"
               "• Pelatihan pengelolaan BUMDES dilakukan 3 hari di Januari 2024.\n"
               "• Dikerjakan sebagai bagian dari pelatihan.",
               "Dana Desa\nDana Desa\nCSR\nCSR & Operasional BUMDES"])
    ws.append(["", "", "1. Sosialisasi program pembelian hasil panen oleh BUMDES\n2. Pembelian hasil panen",
               "-\nSesuai ketentuan", "-\nBUMDES"])
    ws.append([])  # spacer
    ws.append(["2 Serangan hama dapat diatasi (minimal 75% ladang jagung terbebas dari hama di tahun 2024)",
               "", "- Pertemuan periodik kelompok tani jagung", "Pertemuan dilakukan tiap bulan",
               "Swadaya, Dinas pertanian"])
    ws.append(["", "", "a) Konsultasi penanganan hama dengan penyuluh", "", "Swadaya & dinas pertanian (penyuluh)"])
    ws.merge_cells("A5:A6")
    ws.merge_cells("B5:B6")
    ws.merge_cells("A8:A9")
    return wb


def matriks10_workbook() -> openpyxl.Workbook:
    """The field's looser "Matriks 10" layout: NO column, separate targets, header on row 3, hyphenated headers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "MATRIKS 10"
    ws["A1"] = "MATRIKS. 10. DAFTAR RANCANGAN KEGIATAN"
    ws.append([])
    ws.append(["NO", "TUJUAN KEGIATAN", "TARGET TUJUAN", "Sasaran - Sasaran yang perlu di-capai", "TARGET SASARAN",
               "KEGIATAN - KEGIATAN yang perlu di-lakukan", "KETERANGAN", "SUMBER PEMBIAYAAN"])
    ws.append([1, "MENINGKATKAN PENYADARAN PETANI", "10-20% MENINGKAT", "MELEWATI TAHAPAN sawah", "Semua Petani",
               "Adanya edukasi lewat pertemuan dgn penyuluh", "", ""])
    ws.append([None, None, None, "BERJALANNYA KOORDINASI KOMUNITAS PETANI & PENYULUH", "Minimal 3 x DALAM 1 TAHUN",
               "PERTEMUAN KEL. TANI", "", "Swadaya"])
    ws.append([None] * 8)
    ws.append([None, None, None, "PETANI TERLATIH MENGENDALIKAN HAMA", "SEMUA PETANI",
               "PELATIHAN PENGENDALIAN HAMA", "", "Dinas Pertanian"])
    ws.merge_cells("B4:B7")
    ws.merge_cells("C4:C7")
    ws.merge_cells("A4:A7")
    return wb


def xlsx_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_member(data: bytes, member: str, transform) -> bytes:
    """Return a copy of an .xlsx with one zip member rewritten (for entity and bomb tests)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == member:
                content = transform(content)
            dst.writestr(info.filename, content)
    return out.getvalue()


@pytest.fixture
def meeting(world):
    """A prepared meeting of kecamatan A1 (28 March 2024) with desa X (the guide's plan) and Ondor."""
    from casework.services.meetings import meeting_create, meeting_prepare

    m = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk, date=date(2024, 3, 28),
                       place="Kantor Camat", desa_ids=[world.desa_a1.pk, world.desa_a1b.pk])
    return meeting_prepare(user=world.kecamatan_user, meeting_id=m.pk)
