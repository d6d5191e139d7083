"""The bugs the fuzzers found, pinned down as plain examples so they cannot come back unnoticed."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.db import transaction
from django.urls import reverse

from excel.safety import FileRejected, check_upload
from tests.excel.conftest import guide_plan_workbook, xlsx_bytes
from tests.security.matrix import mw  # noqa: F401 - the module-scoped world fixture
from tests.security.urlwalk import db_fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def test_it_rejects_a_workbook_with_a_corrupt_deflate_stream(tmp_path):
    """zlib.error escaped check_upload (a server error on upload); now a message like any broken file."""
    data = bytearray(xlsx_bytes(guide_plan_workbook()))
    info = next(i for i in zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()
                if i.filename == "xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + 16] = b"\xff" * 16  # garbage at the start of the compressed member
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(FileRejected) as refused:
        check_upload(path)
    assert "rusak" in refused.value.message or "tidak dapat dibaca" in refused.value.message


@pytest.mark.parametrize("name", ["casework:case_acknowledge", "casework:meeting_prepare"])
def test_it_answers_a_garbled_version_with_a_conflict_not_a_server_error(mw, rolled_back, name):
    role, pk = ("opd", mw.inside.case.pk) if name == "casework:case_acknowledge" else ("kec", mw.inside.meeting.pk)
    before = db_fingerprint()
    response = mw.clients[role].post(reverse(name, args=[pk]), {"version": "Ni Luh Putu Ayu"})
    assert response.status_code == 409
    assert "telah diubah oleh orang lain" in response.content.decode()
    assert db_fingerprint() == before


@pytest.mark.parametrize("target", ["Ni Luh Putu Ayu", "https://contoh.invalid/", "//contoh.invalid/x"])
def test_it_sends_back_to_the_centre_when_next_is_not_a_local_path(mw, rolled_back, target):
    """redirect() took any other text for a view name: NoReverseMatch, a server error."""
    note = mw.inside.notifications[mw.user("kec").pk]
    response = mw.clients["kec"].post(reverse("notifications:read", args=[note.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    response = mw.clients["kec"].post(reverse("notifications:read", args=[note.pk]), {"next": "/kasus/?status=open"})
    assert response["Location"] == "/kasus/?status=open"
