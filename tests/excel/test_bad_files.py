"""Every kind of bad file gets a clear message and changes nothing."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from casework.models import Case, Plan
from excel.safety import FileRejected, check_upload
from excel.services.common import ImportRefused
from excel.services.meetings import meeting_import_commit, meeting_import_preview
from excel.services.plans import plan_import_commit, plan_import_preview
from tests.excel.conftest import guide_plan_workbook, rewrite_member, xlsx_bytes

pytestmark = pytest.mark.django_db


def not_xlsx() -> bytes:
    return b"%PDF-1.4\n% ini bukan lembar kerja\n"


def encrypted() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096


def empty() -> bytes:
    return b""


def word_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                    '</Types>')
        zf.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def zip_bomb() -> bytes:
    def inflate(content: bytes) -> bytes:
        return content.replace(b"</worksheet>", b"<!--" + b" " * (8 * 1024 * 1024) + b"--></worksheet>")

    return rewrite_member(xlsx_bytes(guide_plan_workbook()), "xl/worksheets/sheet1.xml", inflate)


def xml_entity() -> bytes:
    def add_entity(content: bytes) -> bytes:
        assert content.startswith(b"<worksheet")
        return b'<!DOCTYPE worksheet [<!ENTITY lol "lollollollol">]>' + content

    return rewrite_member(xlsx_bytes(guide_plan_workbook()), "xl/worksheets/sheet1.xml", add_entity)


def with_formula() -> bytes:
    wb = guide_plan_workbook()
    wb.active["D9"] = "=CONCATENATE(\"Dilakukan\", \" tiap bulan\")"
    return xlsx_bytes(wb)


def too_large() -> bytes:
    return xlsx_bytes(guide_plan_workbook()) + b"\x00" * 10


CASES = [
    (not_xlsx, "bukan berkas Excel .xlsx"),
    (encrypted, "terenkripsi"),
    (empty, "Berkas kosong"),
    (word_document, "bukan lembar kerja Excel"),
    (zip_bomb, "zip bomb"),
    (xml_entity, "DTD/entitas XML"),
    (with_formula, "kolom D: rumus tidak didukung, ketik nilainya"),
]


@pytest.mark.parametrize(("make", "message"), CASES, ids=[c[0].__name__ for c in CASES])
def test_a_bad_plan_file_gets_its_message_and_changes_nothing(world, tmp_path, settings, make, message):
    settings.EXCEL_MAX_COMPRESSION_RATIO = 50
    path = tmp_path / "berkas.xlsx"
    path.write_bytes(make())
    before = (Plan.objects.count(), Case.objects.count())
    preview = plan_import_preview(user=world.kecamatan_user, desa_id=world.desa_a1.pk, period="2024", path=path)
    assert not preview["ok"]
    assert any(message in p["text"] for p in preview["problems"]), preview["problems"]
    with pytest.raises(ImportRefused):
        plan_import_commit(user=world.kecamatan_user, desa_id=world.desa_a1.pk, period="2024", path=path)
    assert (Plan.objects.count(), Case.objects.count()) == before


def test_too_large_is_refused_before_opening(world, tmp_path, settings):
    path = tmp_path / "besar.xlsx"
    path.write_bytes(too_large())
    settings.UPLOAD_MAX_BYTES = path.stat().st_size - 1
    with pytest.raises(FileRejected, match="terlalu besar"):
        check_upload(path)
    preview = plan_import_preview(user=world.kecamatan_user, desa_id=world.desa_a1.pk, period="2024", path=path)
    assert "terlalu besar" in preview["problems"][0]["text"]


def test_the_uncompressed_size_cap_applies_even_to_an_honest_ratio(world, tmp_path, settings):
    settings.EXCEL_MAX_UNCOMPRESSED_BYTES = 1024  # smaller than any real workbook
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx_bytes(guide_plan_workbook()))
    with pytest.raises(FileRejected, match="zip bomb"):
        check_upload(path)


@pytest.mark.parametrize(("make", "message"), CASES, ids=[c[0].__name__ for c in CASES])
def test_a_bad_meeting_file_changes_nothing(world, meeting, tmp_path, make, message):
    path = tmp_path / "berkas.xlsx"
    path.write_bytes(make())
    preview = meeting_import_preview(user=world.kecamatan_user, meeting_id=meeting.pk, path=path)
    assert not preview["ok"]
    with pytest.raises(ImportRefused):
        meeting_import_commit(user=world.kecamatan_user, meeting_id=meeting.pk, path=path)
    assert Case.objects.count() == 0


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_defusedxml_refuses_an_entity_even_past_the_byte_scan(tmp_path):
    """Second layer: if the pre-scan missed a DTD, openpyxl's defusedxml parse still refuses it."""
    from excel.safety import load_workbook

    path = tmp_path / "entity.xlsx"
    path.write_bytes(xml_entity())
    with pytest.raises(FileRejected, match="DTD/entitas XML"):
        load_workbook(path)
