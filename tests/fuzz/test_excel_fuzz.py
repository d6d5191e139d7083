"""Fuzzing the Excel importers: whatever the file, a clean answer in Bahasa Indonesia and no partial write.

Files are generated (random cells with odd text, formulas, numbers, dates, merges and headers in odd
places; the real Matriks 2 export with random edits; random bytes, truncated and bit-flipped
workbooks, zips with random members) and fed to the plan and meeting-sheet importers through their
public services, and a few through the upload page.
"""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import event, given, settings
from hypothesis import strategies as st

from casework.models import Activity, Case, CaseEvent, FundingSource, MainGoal, Plan
from excel.layout import COL, HEADER_ROW
from excel.services.common import ImportRefused
from excel.services.meetings import meeting_import_commit, meeting_import_preview
from excel.services.plans import plan_import_commit, plan_import_preview
from excel.writers.meeting_sheet import write_meeting_workbook
from tests.excel.conftest import guide_plan_workbook, xlsx_bytes
from tests.fuzz.conftest import examples
from tests.fuzz.strategies import (
    broken_files, cell_value, is_indonesian_message, odd_text, plan_workbooks, workbooks, xlsx_safe)
from tests.security.matrix import mw  # noqa: F401 - the module-scoped world fixture

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")]
VALID_PLAN = xlsx_bytes(guide_plan_workbook())


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Plan, MainGoal, Activity, FundingSource, Case, CaseEvent))


def _file(data: bytes) -> Path:
    fh = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    fh.write(data)
    fh.close()
    return Path(fh.name)


def _assert_clean_rejection(preview: dict) -> None:
    assert preview["problems"], preview
    for problem in preview["problems"]:
        assert is_indonesian_message(problem["message"]), problem


def import_both(mw, data: bytes, *, plan: bool = True) -> None:
    """Preview and (when the preview is clean) commit with both importers; check the promises each time."""
    user = mw.inside.kec_user
    path = _file(data)
    try:
        importers = [(meeting_import_preview, meeting_import_commit, {"meeting_id": mw.inside.meeting.pk})]
        if plan:
            importers.insert(0, (plan_import_preview, plan_import_commit,
                                 {"desa_id": mw.inside.desa.pk, "period": "2024"}))
        for preview_fn, commit_fn, kwargs in importers:
            with transaction.atomic():
                before = counts()
                preview = preview_fn(user=user, path=path, **kwargs)
                event(f"{preview['kind']}: " + ("clean preview" if preview["ok"] else
                                                 "rejected file" if preview.get("rejected") else "problems"))
                assert counts() == before, "a preview wrote something"
                if not preview["ok"]:
                    _assert_clean_rejection(preview)
                    with pytest.raises(ImportRefused) as refused:
                        commit_fn(user=user, path=path, **kwargs)
                    assert is_indonesian_message(refused.value.message)
                    assert counts() == before, "a refused import wrote something"
                else:
                    try:
                        commit_fn(user=user, path=path, **kwargs)
                    except ImportRefused as exc:  # e.g. a row a service refuses: all or nothing
                        assert is_indonesian_message(exc.message)
                        assert counts() == before, "a refused import wrote part of the file"
                transaction.set_rollback(True)
    finally:
        path.unlink(missing_ok=True)


@settings(max_examples=examples(60))
@given(data=st.one_of(workbooks(), plan_workbooks()))
def test_it_imports_or_refuses_any_generated_workbook(mw, data):
    import_both(mw, data)


@settings(max_examples=examples(60))
@given(data=broken_files(VALID_PLAN))
def test_it_refuses_broken_files_with_a_message_and_writes_nothing(mw, data):
    import_both(mw, data)


@st.composite
def edited_meeting_sheets(draw, template: bytes, ids: dict) -> bytes:
    """The real Matriks 2 export of the meeting, with random cells rewritten (refs, support words, odd text)."""
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ref = st.one_of(
        st.sampled_from([f"g={ids['goal']}", f"g={ids['goal']};a={ids['activity']}", "g=0", f"g={ids['foreign_goal']}",
                         f"c={ids['case_ref']}", f"c={ids['foreign_case_ref']}", "g=abc", "c=", ";;", "x=1"]),
        odd_text.map(xlsx_safe))
    for ws in wb.worksheets:
        edits = draw(st.lists(st.tuples(st.integers(1, HEADER_ROW + 8), st.integers(1, len(COL) + 1)), max_size=12))
        for row, col in edits:
            if col == COL["ref"]:
                value = draw(ref)
            elif col == COL["support_from"]:
                value = draw(st.one_of(st.sampled_from(["Desa sendiri", "Kecamatan", "Kabupaten/OPD", "opd", "?"]),
                                       cell_value))
            else:
                value = draw(cell_value)
            ws.cell(row=row, column=col, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _meeting_ids(mw) -> dict:
    goal = mw.inside.plan.goals.first()
    return {"goal": goal.pk, "activity": goal.activities.first().pk,
            "foreign_goal": getattr(MainGoal.objects.exclude(plan__desa=mw.inside.desa).first(), "pk", 999_999),
            "case_ref": mw.inside.case.ref, "foreign_case_ref": mw.outside.case.ref}


def test_it_fuzzes_the_exported_meeting_sheet(mw):
    """Round trip with random edits: the importer's real input, bent in every direction."""
    user = mw.inside.kec_user
    buf = io.BytesIO()
    write_meeting_workbook(buf, user=user, meeting=mw.inside.meeting)
    template = buf.getvalue()
    ids = _meeting_ids(mw)

    @settings(max_examples=examples(80))
    @given(data=edited_meeting_sheets(template, ids))
    def run(data):
        import_both(mw, data, plan=False)

    run()


@settings(max_examples=examples(8))
@given(data=st.one_of(workbooks(), broken_files(VALID_PLAN)), name=odd_text)
def test_it_never_answers_the_upload_page_with_a_server_error(mw, data, name):
    client = mw.clients["kec"]
    with transaction.atomic():
        before = counts()
        upload = SimpleUploadedFile((xlsx_safe(name).replace("/", "_") or "x")[:200] + ".xlsx", data)
        response = client.post(reverse("excel:plan_upload"), {"desa": mw.inside.desa.pk, "period": "2024",
                                                              "file": upload})
        assert response.status_code in (302, 400), response.status_code
        assert counts() == before  # the upload only previews; nothing is saved before confirmation
        if response.status_code == 302:
            page = client.get(response["Location"])
            assert page.status_code == 200
        upload = SimpleUploadedFile("lembar.xlsx", data)
        response = client.post(reverse("excel:meeting_upload", args=[mw.inside.meeting.pk]), {"file": upload})
        assert response.status_code in (302, 400), response.status_code
        assert counts() == before
        transaction.set_rollback(True)
