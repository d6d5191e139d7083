"""The life of an ExcelJob: store the upload, preview, confirm, commit; or run an export to a file.

Uploads are kept under MEDIA_ROOT/excel/uploads (outside the web root) under
a random name between preview and confirmation, and are deleted once the
import is saved, rejected or cancelled; they are never served back. Small
jobs run inline in the request; large ones are sent to Celery after the
transaction commits, and the page polls the job row for progress.
"""
from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from excel import conf
from excel.models import ExcelJob, JobKind, JobStatus
from excel.safety import FileRejected, check_upload
from excel.services.common import ImportRefused

log = logging.getLogger(__name__)


def _dir(name: str) -> Path:
    path = Path(settings.MEDIA_ROOT) / "excel" / name
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def upload_file(job: ExcelJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.upload_path


def store_upload(uploaded) -> str:
    """Save an uploaded file under a random name; returns its path relative to MEDIA_ROOT. Checks it (FileRejected)."""
    rel = f"excel/uploads/{secrets.token_hex(16)}.xlsx"
    dest = _dir("uploads") / Path(rel).name
    limit, written = conf.upload_max_bytes(), 0
    try:
        with dest.open("wb") as out:
            for chunk in uploaded.chunks():
                written += len(chunk)
                if written > limit:
                    break
                out.write(chunk)
        if written > limit:
            raise FileRejected(_("Berkas terlalu besar (paling besar %(limit)s MB). Bagi berkas menjadi beberapa "
                                 "bagian.") % {"limit": f"{limit / 1048576:.0f}"})
        check_upload(dest)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return rel


def _discard_upload(job: ExcelJob) -> None:
    if job.upload_path:
        upload_file(job).unlink(missing_ok=True)
        job.upload_path = ""


def create_import_job(*, user: Any, kind: str, params: dict, uploaded) -> ExcelJob:
    rel = store_upload(uploaded)
    job = ExcelJob.objects.create(user=user, kind=kind, params=params, upload_path=rel,
                                  original_name=(getattr(uploaded, "name", "") or "")[:255])
    _start(job, inline=(getattr(uploaded, "size", 0) or 0) <= conf.inline_import_bytes())
    return job


def create_register_job(*, user: Any, kecamatan_id: int | None, inline: bool, scope_label: str = "") -> ExcelJob:
    job = ExcelJob.objects.create(user=user, kind=JobKind.REGISTER_EXPORT,
                                  params={"kecamatan_id": kecamatan_id, "scope_label": scope_label})
    _start(job, inline=inline)
    return job


def _start(job: ExcelJob, *, inline: bool) -> None:
    if inline:
        run_job(job.pk)
        job.refresh_from_db()
    else:
        from excel.tasks import run_excel_job

        transaction.on_commit(lambda: run_excel_job.delay(job.pk))


def confirm_job(job: ExcelJob) -> ExcelJob:
    """Ask for the previewed import to be saved. Only a job in preview state with no problems may be confirmed."""
    updated = ExcelJob.objects.filter(pk=job.pk, status=JobStatus.PREVIEW).update(status=JobStatus.CONFIRMED,
                                                                                 progress=0)
    if updated:
        size = upload_file(job).stat().st_size if job.upload_path and upload_file(job).exists() else 0
        _start(job, inline=size <= conf.inline_import_bytes())
    job.refresh_from_db()
    return job


def cancel_job(job: ExcelJob) -> None:
    if ExcelJob.objects.filter(pk=job.pk, status__in=[JobStatus.PREVIEW, JobStatus.QUEUED]).update(
            status=JobStatus.CANCELLED, finished_at=timezone.now()):
        _discard_upload(job)
        job.save(update_fields=["upload_path"])


def _claim(job_id: int, source: str, target: str) -> bool:
    """Move a job from one status to the next; only one worker wins, however often the task is delivered."""
    return ExcelJob.objects.filter(pk=job_id, status=source).update(status=target, progress=5) == 1


def _progress(job_id: int, percent: int) -> None:
    ExcelJob.objects.filter(pk=job_id).update(progress=max(0, min(100, percent)))


def run_job(job_id: int) -> None:
    """Do whatever the job is waiting for. Safe to call more than once."""
    if _claim(job_id, JobStatus.QUEUED, JobStatus.WORKING):
        phase = "preview"
    elif _claim(job_id, JobStatus.CONFIRMED, JobStatus.COMMITTING):
        phase = "commit"
    else:
        return
    job = ExcelJob.objects.select_related("user").get(pk=job_id)
    try:
        if job.kind == JobKind.REGISTER_EXPORT:
            _run_register(job)
        elif phase == "preview":
            _run_preview(job)
        else:
            _run_commit(job)
    except Http404:
        _finish(job, JobStatus.REJECTED, message=_("Data yang diminta berada di luar wilayah Anda."))
    except ImportRefused as exc:
        job.preview = {**(job.preview or {}), "ok": False,
                       "problems": [{"text": exc.message, "where": "", "message": exc.message}]
                       + [p.as_dict() for p in exc.problems]}
        _finish(job, JobStatus.REJECTED, message=exc.message)
    except Exception:  # noqa: BLE001 - the page must say it failed, not spin forever
        log.exception("excel job %s failed", job_id)
        _finish(job, JobStatus.FAILED, message=_("Terjadi kesalahan tak terduga saat memproses berkas. "
                                                 "Tidak ada data yang diubah."))


def _finish(job: ExcelJob, status: str, *, message: str = "") -> None:
    job.status, job.progress, job.finished_at = status, 100, timezone.now()
    if message:
        job.message = message
    if status != JobStatus.PREVIEW:
        _discard_upload(job)
    job.save()


def _run_preview(job: ExcelJob) -> None:
    from excel.services.meetings import meeting_import_preview
    from excel.services.plans import plan_import_preview

    path = upload_file(job)
    if job.kind == JobKind.PLAN_IMPORT:
        preview = plan_import_preview(user=job.user, desa_id=job.params["desa_id"], period=job.params["period"],
                                      path=path)
    else:
        preview = meeting_import_preview(user=job.user, meeting_id=job.params["meeting_id"], path=path)
    job.preview = preview
    _finish(job, JobStatus.PREVIEW if preview["ok"] else JobStatus.REJECTED)


def _run_commit(job: ExcelJob) -> None:
    from excel.services.meetings import meeting_import_commit
    from excel.services.plans import plan_import_commit

    path = upload_file(job)
    if job.kind == JobKind.PLAN_IMPORT:
        plan = plan_import_commit(user=job.user, desa_id=job.params["desa_id"], period=job.params["period"],
                                  path=path, source_name=job.original_name)
        job.result = {"plan_id": plan.pk, "version": plan.version}
    else:
        job.result = meeting_import_commit(user=job.user, meeting_id=job.params["meeting_id"], path=path)
    _finish(job, JobStatus.DONE)


def _run_register(job: ExcelJob) -> None:
    from excel.writers.reports import write_register

    name = f"{secrets.token_hex(16)}.xlsx"
    dest = _dir("exports") / name
    with dest.open("wb") as fh:
        n = write_register(fh, user=job.user, kecamatan_id=job.params.get("kecamatan_id"),
                           scope_label=job.params.get("scope_label", ""),
                           progress=lambda done, total: _progress(job.pk, int(95 * done / max(total, 1))))
    job.result_path = f"excel/exports/{name}"
    job.result_name = f"register-kasus-{timezone.localdate():%Y%m%d}.xlsx"
    job.result = {"rows": n}
    _finish(job, JobStatus.DONE)


def result_file(job: ExcelJob) -> Path | None:
    if job.status != JobStatus.DONE or not job.result_path:
        return None
    path = Path(settings.MEDIA_ROOT) / job.result_path
    return path if path.exists() else None
