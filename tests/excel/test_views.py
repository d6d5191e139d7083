"""The web pages: upload → preview → confirm, bad files, scope, exports and the job page."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import Case, Plan
from excel.layout import COL
from excel.models import ExcelJob, JobStatus
from tests.excel.conftest import guide_plan_workbook, xlsx_bytes
from tests.excel.test_bad_files import encrypted, not_xlsx, xml_entity
from tests.excel.test_meeting_sheet import find_row

pytestmark = pytest.mark.django_db


def upload(data: bytes, name="rencana.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_it_previews_then_saves_a_plan_only_on_confirmation(client, world, settings):
    client.force_login(world.kecamatan_user)
    response = client.post(reverse("excel:plan_upload"), {"desa": world.desa_a1.pk, "period": "2024",
                                                          "file": upload(xlsx_bytes(guide_plan_workbook()))})
    job = ExcelJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("excel:job_detail", args=[job.token])
    assert job.status == JobStatus.PREVIEW and Plan.objects.count() == 1
    stored = settings.MEDIA_ROOT / job.upload_path
    assert stored.exists() and stored.name != "rencana.xlsx"
    page = client.get(response.url)
    assert "akan menjadi versi 2" in page.content.decode()
    assert "Musyawarah penetapan penyertaan modal di BUMDES." in page.content.decode()
    assert client.get(reverse("excel:job_download", args=[job.token])).status_code == 404  # never served back

    confirmed = client.post(reverse("excel:job_confirm", args=[job.token]))
    assert confirmed.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and not stored.exists()
    plan = Plan.objects.get(pk=job.result["plan_id"])
    assert (plan.version, plan.source_file) == (2, "rencana.xlsx")
    # Confirming twice does not import twice.
    client.post(reverse("excel:job_confirm", args=[job.token]))
    assert Plan.objects.count() == 2


@pytest.mark.parametrize("make", [encrypted, not_xlsx, xml_entity])
def test_a_bad_upload_gets_a_message_and_keeps_the_form(client, world, make):
    client.force_login(world.kecamatan_user)
    response = client.post(reverse("excel:plan_upload"), {"desa": world.desa_a1.pk, "period": "2024-2026",
                                                          "file": upload(make())})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2024-2026"' in html
    assert "ditolak" in html or "bukan berkas Excel" in html or "terenkripsi" in html
    assert ExcelJob.objects.count() == 0 and Plan.objects.count() == 1


def test_an_empty_upload_is_refused_by_the_form(client, world):
    client.force_login(world.kecamatan_user)
    response = client.post(reverse("excel:plan_upload"), {"desa": world.desa_a1.pk, "period": "2024",
                                                          "file": upload(b"")})
    assert response.status_code == 400


def test_a_desa_of_another_kecamatan_is_not_offered(client, world):
    client.force_login(world.kecamatan_user)
    response = client.post(reverse("excel:plan_upload"), {"desa": world.desa_a2.pk, "period": "2024",
                                                          "file": upload(xlsx_bytes(guide_plan_workbook()))})
    assert response.status_code == 400
    assert "desa" in response.context["form"].errors
    assert world.desa_a2 not in response.context["form"].fields["desa"].queryset
    assert Plan.objects.filter(desa=world.desa_a2).count() == 0


def test_another_users_job_is_a_404(client, world):
    client.force_login(world.kecamatan_user)
    client.post(reverse("excel:plan_upload"), {"desa": world.desa_a1.pk, "period": "2024",
                                               "file": upload(xlsx_bytes(guide_plan_workbook()))})
    job = ExcelJob.objects.get()
    client.force_login(world.kecamatan_outsider)
    assert client.get(reverse("excel:job_detail", args=[job.token])).status_code == 404
    assert client.post(reverse("excel:job_confirm", args=[job.token])).status_code == 404
    assert Plan.objects.count() == 1


def test_meeting_sheet_download_upload_and_confirm(client, world, meeting):
    client.force_login(world.kecamatan_user)
    response = client.get(reverse("excel:meeting_export", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb["X"]
    row = find_row(ws, COL["activity"], "• Penyerahan modal")
    ws.cell(row, COL["obstacle"]).value = "Laporan keuangan desa terlambat"
    response = client.post(reverse("excel:meeting_upload", args=[meeting.pk]), {"file": upload(xlsx_bytes(wb))})
    job = ExcelJob.objects.get()
    assert "1 kasus baru" in client.get(response.url).content.decode()
    client.post(reverse("excel:job_confirm", args=[job.token]))
    assert Case.objects.get().activity == world.activity_a1
    m4 = client.get(reverse("excel:matriks4_export", args=[meeting.pk]))
    assert m4.status_code == 200


def test_outsiders_cannot_reach_a_meetings_exports_or_upload(client, world, meeting):
    client.force_login(world.kecamatan_outsider)
    for name in ("excel:meeting_export", "excel:matriks4_export", "excel:meeting_upload"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404
    client.force_login(world.opd_user)
    assert client.get(reverse("excel:meeting_export", args=[meeting.pk])).status_code == 404


def test_register_export_runs_inline_when_small_and_downloads(client, world):
    from tests.conftest import make_case

    make_case(world)
    client.force_login(world.pokja_user)
    response = client.post(reverse("excel:register_export"), {"kecamatan": ""})
    job = ExcelJob.objects.get()
    assert job.status == JobStatus.DONE and job.result == {"rows": 1}
    page = client.get(response.url).content.decode()
    assert "hx-trigger" not in page and reverse("excel:job_download", args=[job.token]) in page
    download = client.get(reverse("excel:job_download", args=[job.token]))
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert ws["G4"].value.startswith("Penyuluh pertanian")
    client.force_login(world.pokja_outsider)
    assert client.get(reverse("excel:job_download", args=[job.token])).status_code == 404


def test_a_running_job_page_polls_with_htmx(client, world):
    job = ExcelJob.objects.create(user=world.pokja_user, kind="register_export", status=JobStatus.WORKING,
                                  progress=40)
    client.force_login(world.pokja_user)
    html = client.get(reverse("excel:job_detail", args=[job.token])).content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="40"' in html
    partial = client.get(reverse("excel:job_status", args=[job.token]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()


def test_the_pages_render_for_each_role(client, world, meeting):
    for user in (world.kecamatan_user, world.pokja_user, world.opd_user, world.admin_user):
        client.force_login(user)
        assert client.get(reverse("excel:index")).status_code == 200
        assert client.get(reverse("excel:plan_upload")).status_code == 200
    client.force_login(world.kecamatan_user)
    html = client.get(reverse("excel:meeting_upload", args=[meeting.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in html and reverse("excel:meeting_export", args=[meeting.pk]) in html
    html = client.get(reverse("excel:plan_upload") + f"?desa={world.desa_a1.pk}&period=2025").content.decode()
    assert 'value="2025"' in html


def test_the_button_includes_render(world, meeting, rf):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = world.kecamatan_user
    html = render_to_string("excel/_buttons_meeting.html", {"meeting": meeting, "user": world.kecamatan_user},
                            request=request)
    assert reverse("excel:matriks4_export", args=[meeting.pk]) in html
    assert reverse("excel:meeting_upload", args=[meeting.pk]) in html
    html = render_to_string("excel/_button_meeting_desa.html", {"meeting": meeting, "desa": world.desa_a1})
    assert f"?desa={world.desa_a1.pk}" in html
    html = render_to_string("excel/_buttons_plan.html", {"desa": world.desa_a1, "period": "2024"})
    assert f"?desa={world.desa_a1.pk}&amp;period=2024" in html


def test_problems_are_listed_with_sheet_row_and_column_and_cannot_be_confirmed(client, world):
    from tests.excel.test_bad_files import with_formula

    client.force_login(world.kecamatan_user)
    response = client.post(reverse("excel:plan_upload"), {"desa": world.desa_a1.pk, "period": "2024",
                                                          "file": upload(with_formula())})
    job = ExcelJob.objects.get()
    assert job.status == JobStatus.REJECTED and job.upload_path == ""
    html = client.get(response.url).content.decode()
    assert "lembar &#x27;Rencana Desa X&#x27;, baris 9, kolom D" in html and "rumus tidak didukung" in html
    assert reverse("excel:job_confirm", args=[job.token]) not in html
    client.post(reverse("excel:job_confirm", args=[job.token]))
    assert Plan.objects.count() == 1
