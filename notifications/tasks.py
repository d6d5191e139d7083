"""Celery tasks: thin wrappers around the services. Every task is idempotent (acks_late redelivers)."""
from __future__ import annotations

from celery import shared_task
from celery.signals import beat_init

BEAT_TICK_KEY = "beat:last_tick"


@shared_task(name="notifications.sweep_reminders", acks_late=True, ignore_result=True)
def sweep_reminders() -> dict:
    """Write the ledger rows of every reminder that has become due, then deliver them."""
    from notifications.delivery import deliver_due_notifications
    from notifications.sweep import sweep_reminders as sweep

    created = sweep()
    sent = deliver_due_notifications()
    return {"created": dict(created), "delivered": dict(sent)}


@shared_task(name="notifications.deliver_due", acks_late=True, ignore_result=True)
def deliver_due() -> dict:
    """Send every due notification, one digest per person and channel."""
    from notifications.delivery import deliver_due_notifications

    return dict(deliver_due_notifications())


@shared_task(name="notifications.heartbeat", ignore_result=True)
def heartbeat() -> str:
    """Record that beat ticked and a worker ran it, for the health check (cache key ``beat:last_tick``)."""
    from django.core.cache import cache
    from django.utils import timezone

    now = timezone.now()
    cache.set(BEAT_TICK_KEY, now, timeout=None)
    return now.isoformat()


@beat_init.connect
def _sweep_when_beat_starts(sender=None, **kwargs) -> None:
    """Beat's first timed sweep would come only after a full interval; sweep once right away, so a
    freshly started system (e.g. the demo) sends what is already due without waiting five minutes."""
    try:
        sweep_reminders.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - the periodic sweep follows anyway
        import logging

        logging.getLogger(__name__).warning("Could not enqueue the start-up sweep", exc_info=True)
