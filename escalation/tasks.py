"""Celery tasks of the escalation app: thin wrappers that load by id and call a service."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="escalation.recompute_deadlines", acks_late=True)
def recompute_deadlines(kabupaten_id: int) -> int:
    """Recompute the stored deadlines of a kabupaten's open cases after its policy or holidays changed."""
    from escalation.services import recompute_kabupaten_deadlines

    return recompute_kabupaten_deadlines(kabupaten_id=kabupaten_id)
