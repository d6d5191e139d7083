"""Odd text: names, long free text, odd Unicode and markup are stored as typed and shown escaped everywhere.

NUL (which PostgreSQL text cannot hold) gets a clean validation message through the forms, and the Excel
importer, which calls the services directly, never passes one on.
"""
from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from casework.meeting_selectors import desa_share_key
from casework.models import Case
from casework.services.cases import case_create, case_update_text
from casework.services.meetings import meeting_record_obstacle
from excel.services.meetings import meeting_import_commit, meeting_import_preview
from excel.writers.meeting_sheet import write_meeting_workbook
from notifications.models import Notification
from notifications.rendering import render_message
from tests.conftest import step
from tests.security.matrix import mw  # noqa: F401 - the module-scoped world fixture

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="x'
PAYLOAD = f"{SCRIPT}{ATTRIBUTE} Kendala"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ODD = ("Ni Luh Putu Ayu Sukmawati · Yohanis Ndapa Kaka · La Ode Muh. Ali · e\u0301\u0301 · \u202eRTL\u202c · "
       "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 · 👩\u200d👩\u200d👧 · a\u200bb\u200dc · 𝕳𝖊𝖑𝖑𝖔 · ")
LONG = (ODD + "Bendahara desa belum dilatih menyusun laporan keuangan. " * 300).strip()  # ~17 000 characters


@pytest.fixture
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def test_it_stores_names_odd_unicode_and_long_text_as_typed(mw, rolled_back):
    client = mw.clients["kec"]
    meeting, desa = mw.inside.meeting, mw.inside.desa
    response = client.post(reverse("casework:meeting_record", args=[meeting.pk, desa.pk]), {
        "obstacle": ODD + PAYLOAD, "cause": LONG, "solution": ATTRIBUTE, "support_needed": "Pelatihan 👩\u200d🏫",
        "support_from": "kabupaten", "target": ""})
    assert response.status_code == 302, response.content.decode()[:500]
    case = Case.objects.get(meeting=meeting, obstacle=ODD + PAYLOAD)
    assert (case.cause, case.solution, case.support_needed) == (LONG, ATTRIBUTE, "Pelatihan 👩\u200d🏫")
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert ODD.strip() in page and "Bendahara desa belum dilatih" in page


def test_it_refuses_a_nul_character_with_a_message_not_a_server_error(mw, rolled_back):
    client = mw.clients["kec"]
    before = Case.objects.count()
    response = client.post(reverse("casework:meeting_record", args=[mw.inside.meeting.pk, mw.inside.desa.pk]), {
        "obstacle": "Dana desa\x00 terlambat", "support_from": "desa"})
    assert response.status_code == 400
    assert "Karakter null tidak diizinkan." in response.content.decode()  # Django's message, in Bahasa Indonesia
    case = mw.inside.case
    response = client.post(reverse("casework:case_edit", args=[case.pk]), {
        "edit-version": case.version, "edit-obstacle": "a\x00b", "edit-support_from": "desa"})
    assert response.status_code == 400
    assert "Karakter null tidak diizinkan." in response.content.decode()
    assert Case.objects.count() == before
    case.refresh_from_db()
    assert "\x00" not in case.obstacle


def _with_shared_string(data: bytes, old: str, new: str) -> bytes:
    """Rewrite a workbook's text the way another program may write it (OOXML's _xHHHH_ escapes)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    found = False
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if old.encode() in content:
                content, found = content.replace(old.encode(), new.encode()), True
            dst.writestr(info.filename, content)
    assert found, f"{old!r} not in the workbook"
    return out.getvalue()


@pytest.mark.parametrize("spelling", ["_x0000_", "&#0;", "\x00", "&#1;", "\x1b"])
def test_it_never_passes_a_nul_from_an_excel_sheet_to_the_database(mw, rolled_back, spelling):
    """Every way a file could spell a NUL or control character: a clean refusal, or text without it; never a crash.

    (XML 1.0 cannot hold NUL, so openpyxl either refuses the part or reads "_x0000_" literally.)
    """
    import openpyxl

    from excel.layout import COL, HEADER_ROW
    from tests.fuzz.strategies import is_indonesian_message

    user, meeting = mw.inside.kec_user, mw.inside.meeting
    buf = io.BytesIO()
    write_meeting_workbook(buf, user=user, meeting=meeting)
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb.worksheets[0]
    row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if not ws.cell(r, COL["obstacle"]).value)
    ws.cell(row, COL["obstacle"], "Penyuluh NULMARK tidak hadir")
    out = io.BytesIO()
    wb.save(out)
    data = _with_shared_string(out.getvalue(), "NULMARK", spelling)
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as fh:
        fh.write(data)
    path = Path(fh.name)
    before = Case.objects.count()
    try:
        preview = meeting_import_preview(user=user, meeting_id=meeting.pk, path=path)
        if not preview["ok"]:
            assert all(is_indonesian_message(p["message"]) for p in preview["problems"]), preview["problems"]
            assert Case.objects.count() == before
            return
        result = meeting_import_commit(user=user, meeting_id=meeting.pk, path=path)
    finally:
        path.unlink(missing_ok=True)
    case = Case.objects.get(pk=result["case_ids"][0])
    assert "\x00" not in case.obstacle
    Case.objects.get(pk=case.pk)  # and the database really holds it (PostgreSQL refuses NUL on write)


def _payload_world(mw):
    """The A1 case (assigned to Dinas Pertanian) and a second case (escalated, in the Pokja inbox) carry markup."""
    kec, meeting, desa = mw.inside.kec_user, mw.inside.meeting, mw.inside.desa
    assigned = mw.inside.case
    case_update_text(user=kec, case_id=assigned.pk, expected_version=assigned.version, obstacle=PAYLOAD,
                     cause=PAYLOAD, solution=PAYLOAD)
    escalated = meeting_record_obstacle(user=kec, meeting_id=meeting.pk, desa_id=desa.pk, obstacle=PAYLOAD,
                                        cause=PAYLOAD, solution=PAYLOAD, support_needed=PAYLOAD,
                                        support_from="kabupaten")
    step(escalated, kec, "escalate", PAYLOAD)
    # A lesson from another village of the kabupaten, shown while an obstacle is typed for desa X.
    case_create(user=kec, desa=mw.world.desa_a1b, obstacle=f"{PAYLOAD} hama jagung", solution=PAYLOAD)
    return assigned, escalated


def test_it_shows_markup_escaped_on_every_page_and_email(mw, rolled_back):
    assigned, escalated = _payload_world(mw)
    meeting, done, desa = mw.inside.meeting, mw.inside.meeting_done, mw.inside.desa
    pages = {
        "kec": [reverse("casework:case_list"), reverse("casework:case_detail", args=[assigned.pk]),
                reverse("casework:case_detail", args=[escalated.pk]),
                reverse("casework:meeting_sheet", args=[meeting.pk, desa.pk]),
                reverse("casework:meeting_projector", args=[meeting.pk, 1]),
                reverse("casework:meeting_print", args=[meeting.pk]),
                reverse("casework:meeting_print", args=[done.pk]),
                reverse("casework:meeting_review", args=[meeting.pk]),
                reverse("casework:meeting_lessons", args=[meeting.pk, desa.pk]) + "?obstacle=hama+jagung"],
        "anon": [reverse("casework:shared_sheet", args=[done.share_token, desa.pk, desa_share_key(done, desa.pk)])],
        "pokja": [reverse("escalation:inbox"), reverse("escalation:dashboard"), reverse("notifications:list"),
                  reverse("escalation:rakor_print")],
        "opd": [reverse("escalation:workspace"), reverse("casework:case_detail", args=[assigned.pk])],
    }
    unescaped, not_shown = [], []
    for role, urls in pages.items():
        for url in urls:
            response = mw.clients[role].get(url)
            assert response.status_code == 200, f"{url} as {role}: {response.status_code}"
            body = response.content.decode()
            if SCRIPT in body or ATTRIBUTE in body:
                unescaped.append(f"{url} as {role}")
            if ESCAPED_SCRIPT not in body:
                not_shown.append(f"{url} as {role}")
    assert not unescaped, f"markup shown unescaped on: {unescaped}"
    assert not not_shown, f"the escaped text is missing (so the check above proves nothing) on: {not_shown}"

    # The emails: the escalation notice to the Pokja, HTML body.
    notes = list(Notification.objects.filter(case=escalated, recipient=mw.user("pokja")))
    assert notes, "escalating did not notify the Pokja"
    html = render_message(mw.user("pokja"), notes).html
    assert SCRIPT not in html and ATTRIBUTE not in html
    assert ESCAPED_SCRIPT in html
