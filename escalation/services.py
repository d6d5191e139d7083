"""Escalation writes that are not single-case transitions."""
from __future__ import annotations

from django.db import transaction

from casework.models import OPEN_STATES, Case
from escalation.policy import refresh_case_deadline


def recompute_kabupaten_deadlines(*, kabupaten_id: int, batch_size: int = 500) -> int:
    """Refresh every open case's stored deadline in one kabupaten, in batches (idempotent). Returns the count."""
    fields = ["deadline_at", "deadline_kind", "update_due_at"]
    qs = Case.objects.filter(kabupaten_id=kabupaten_id, state__in=OPEN_STATES).select_related("kabupaten")
    changed = 0
    batch: list[Case] = []
    for case in qs.iterator(chunk_size=batch_size):
        before = tuple(getattr(case, f) for f in fields)
        refresh_case_deadline(case)
        if tuple(getattr(case, f) for f in fields) != before:
            batch.append(case)
        if len(batch) >= batch_size:
            with transaction.atomic():
                Case.objects.bulk_update(batch, fields)
            changed += len(batch)
            batch = []
    if batch:
        with transaction.atomic():
            Case.objects.bulk_update(batch, fields)
        changed += len(batch)
    return changed
