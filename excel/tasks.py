"""Celery tasks: thin wrappers that load the job by id and let excel.services.jobs do the work."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="excel.run_job", ignore_result=True)
def run_excel_job(job_id: int) -> None:
    """Preview, commit or export, whichever the job waits for. Claimed by a conditional update: runs once."""
    from excel.services.jobs import run_job

    run_job(job_id)
