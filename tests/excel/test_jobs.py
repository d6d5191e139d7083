"""Long jobs: claimed once, and run by a real Celery worker when large."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Plan
from excel.models import ExcelJob, JobKind, JobStatus
from excel.services import jobs
from tests.excel.conftest import guide_plan_workbook, xlsx_bytes


@pytest.mark.django_db
def test_a_job_runs_once_however_often_it_is_delivered(world):
    job = ExcelJob.objects.create(user=world.pokja_user, kind=JobKind.REGISTER_EXPORT)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    first = (job.status, job.result_path)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert first[0] == JobStatus.DONE and (job.status, job.result_path) == first


@pytest.mark.django_db
def test_a_cancelled_import_deletes_its_upload(world, settings):
    job = jobs.create_import_job(user=world.kecamatan_user, kind=JobKind.PLAN_IMPORT,
                                 params={"desa_id": world.desa_a1.pk, "period": "2024"},
                                 uploaded=SimpleUploadedFile("r.xlsx", xlsx_bytes(guide_plan_workbook())))
    stored = settings.MEDIA_ROOT / job.upload_path
    assert stored.exists()
    jobs.cancel_job(job)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and not stored.exists()
    assert jobs.confirm_job(job).status == JobStatus.CANCELLED and Plan.objects.count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_large_import_and_the_register_run_in_a_real_worker(world, redis_url, settings):
    from tests.support.celery_worker import celery_worker, wait_until

    settings.EXCEL_INLINE_IMPORT_BYTES = 0  # everything counts as large
    with celery_worker(redis_url, env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)}) as (queue, _proc):
        settings.CELERY_TASK_DEFAULT_QUEUE = queue
        from config.celery import app

        app.conf.task_default_queue = queue
        job = jobs.create_import_job(user=world.kecamatan_user, kind=JobKind.PLAN_IMPORT,
                                     params={"desa_id": world.desa_a1.pk, "period": "2024"},
                                     uploaded=SimpleUploadedFile("r.xlsx", xlsx_bytes(guide_plan_workbook())))
        wait_until(lambda: ExcelJob.objects.get(pk=job.pk).status == JobStatus.PREVIEW, timeout=60)
        assert Plan.objects.count() == 1
        jobs.confirm_job(ExcelJob.objects.get(pk=job.pk))
        wait_until(lambda: ExcelJob.objects.get(pk=job.pk).status == JobStatus.DONE, timeout=60)
        assert Plan.objects.filter(desa=world.desa_a1, version=2).exists()

        export = jobs.create_register_job(user=world.pokja_user, kecamatan_id=None, inline=False)
        done = wait_until(lambda: ExcelJob.objects.filter(pk=export.pk, status=JobStatus.DONE).first(), timeout=60)
        assert done.progress == 100 and jobs.result_file(done) is not None
