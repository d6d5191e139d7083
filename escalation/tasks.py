"""Celery tasks of the escalation app: thin wrappers that load by id and call a service."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="escalation.recompute_deadlines", acks_late=True)
def recompute_deadlines(kabupaten_id: int) -> int:
    """Recompute the stored deadlines of a kabupaten's open cases after its policy or holidays changed."""
    from escalation.services import recompute_kabupaten_deadlines

    return recompute_kabupaten_deadlines(kabupaten_id=kabupaten_id)


@shared_task(name="escalation.refresh_dashboard", acks_late=True)
def refresh_dashboard() -> int:
    """Recompute the programme-wide dashboard snapshot. Returns how long it took, in ms."""
    from escalation.dashboard import refresh_national_snapshot

    return refresh_national_snapshot().duration_ms
