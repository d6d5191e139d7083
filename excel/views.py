"""Pages for the Excel imports and exports. Thin: forms in, services out; scope decided by casework.scoping."""
from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from excel import conf
from excel.forms import MeetingUploadForm, PlanUploadForm, RegisterExportForm
from excel.models import ExcelJob, JobKind, JobStatus
from excel.safety import FileRejected
from excel.selectors import meeting_in_scope, register_queryset
from excel.services import jobs
from excel.services.common import ImportRefused
from excel.services.exports import export_matriks4, export_meeting_sheet, register_scope_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _job(request, token) -> ExcelJob:
    # Jobs belong to whoever started them; anyone else gets a 404, token or not.
    return get_object_or_404(ExcelJob, token=token, user=request.user)


@login_required
@require_GET
def index(request):
    page = Paginator(ExcelJob.objects.filter(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "excel/index.html", {"page": page, "register_form": RegisterExportForm(user=request.user)})


def _start_import(request, form, *, kind: str, params: dict, template: str, context: dict):
    try:
        job = jobs.create_import_job(user=request.user, kind=kind, params=params, uploaded=form.cleaned_data["file"])
    except FileRejected as exc:
        form.add_error("file", exc.message)
    except ImportRefused as exc:
        form.add_error(None, exc.message)
    else:
        return redirect("excel:job_detail", token=job.token)
    return render(request, template, {**context, "form": form}, status=400)


@login_required
def plan_upload(request):
    initial = {"desa": request.GET.get("desa"), "period": request.GET.get("period", "")}
    form = PlanUploadForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        params = {"desa_id": form.cleaned_data["desa"].pk, "period": form.cleaned_data["period"]}
        return _start_import(request, form, kind=JobKind.PLAN_IMPORT, params=params,
                             template="excel/plan_upload.html", context={})
    return render(request, "excel/plan_upload.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def meeting_upload(request, meeting_id: int):
    meeting = meeting_in_scope(request.user, meeting_id)
    form = MeetingUploadForm(request.POST or None, request.FILES or None)
    context = {"meeting": meeting}
    if request.method == "POST" and form.is_valid():
        return _start_import(request, form, kind=JobKind.MEETING_IMPORT, params={"meeting_id": meeting.pk},
                             template="excel/meeting_upload.html", context=context)
    return render(request, "excel/meeting_upload.html", {**context, "form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def job_detail(request, token):
    return render(request, "excel/job.html", {"job": _job(request, token)})


@login_required
@require_GET
def job_status(request, token):
    """The htmx partial the job page polls every 2 seconds while the job runs."""
    return render(request, "excel/_job_status.html", {"job": _job(request, token)})


@login_required
@require_POST
def job_confirm(request, token):
    job = _job(request, token)
    if job.status != JobStatus.PREVIEW or not job.preview.get("ok"):
        messages.error(request, _("Impor ini tidak dapat dikonfirmasi lagi (status: %(s)s).")
                       % {"s": job.get_status_display()})
        return redirect("excel:job_detail", token=job.token)
    job = jobs.confirm_job(job)
    if job.status == JobStatus.DONE:
        messages.success(request, _("Impor selesai disimpan."))
    return redirect("excel:job_detail", token=job.token)


@login_required
@require_POST
def job_cancel(request, token):
    job = _job(request, token)
    jobs.cancel_job(job)
    messages.info(request, _("Impor dibatalkan; berkas unggahan telah dihapus."))
    return redirect("excel:index")


@login_required
@require_GET
def job_download(request, token):
    job = _job(request, token)
    path = jobs.result_file(job) if job.kind == JobKind.REGISTER_EXPORT else None
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name, content_type=XLSX)


def _send(writer, **kwargs) -> FileResponse:
    # Spooled: small workbooks stay in memory, big ones go to a temporary file.
    fh = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    name = writer(fh=fh, **kwargs)
    fh.seek(0)
    return FileResponse(fh, as_attachment=True, filename=name, content_type=XLSX)


@login_required
@require_GET
def meeting_export(request, meeting_id: int):
    desa = request.GET.get("desa")
    try:
        desa_id = int(desa) if desa else None
    except ValueError:
        raise Http404 from None
    return _send(export_meeting_sheet, user=request.user, meeting_id=meeting_id, desa_id=desa_id)


@login_required
@require_GET
def matriks4_export(request, meeting_id: int):
    return _send(export_matriks4, user=request.user, meeting_id=meeting_id)


@login_required
@require_POST
def register_export(request):
    form = RegisterExportForm(request.POST, user=request.user)
    if not form.is_valid():
        page = Paginator(ExcelJob.objects.filter(user=request.user), 20).get_page(1)
        return render(request, "excel/index.html", {"page": page, "register_form": form}, status=400)
    kecamatan = form.cleaned_data["kecamatan"]
    kec_id = kecamatan.pk if kecamatan else None
    inline = register_queryset(request.user, kecamatan_id=kec_id).count() <= conf.inline_export_rows()
    job = jobs.create_register_job(user=request.user, kecamatan_id=kec_id, inline=inline,
                                   scope_label=register_scope_label(request.user, kec_id))
    return redirect("excel:job_detail", token=job.token)
