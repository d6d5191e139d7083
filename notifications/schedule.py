"""Every periodic job, in one place, with why it runs when it does.

Nothing is scheduled days ahead with ETA/countdown (the Redis broker's
visibility timeout would redeliver it); instead short sweeps run often and
decide from the stored deadline fields what is due now. Each job is cheap when
there is nothing to do (indexed queries that return no rows) and idempotent, so
beat firing twice or a redelivered task does no harm. ``expires`` drops ticks
that waited in the queue longer than the next tick would: a worker that was down
for an hour runs one sweep on return, not sixty.
"""
from datetime import timedelta

BEAT_SCHEDULE: dict = {
    # Reminders (before/at/after deadlines, no progress update, overdue → Pokja, meetings).
    # Deadlines are whole local days and messages wait for working hours anyway,
    # so five minutes of latency is invisible while keeping the database idle.
    "notifications-sweep-reminders": {
        "task": "notifications.sweep_reminders",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 4 * 60},
    },
    # Delivery of whatever is due: event notifications whose on-commit enqueue was
    # lost (broker down), rows held back by quiet hours, and retries after backoff.
    "notifications-deliver-due": {
        "task": "notifications.deliver_due",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # The programme-wide dashboard: at a national scale its figures take seconds to compute,
    # so the page reads a snapshot; ten minutes old is fresh enough for a national overview.
    "escalation-refresh-dashboard": {
        "task": "escalation.refresh_dashboard",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 9 * 60},
    },
    # Proof of life for the health check: beat ticked and a worker ran the task.
    "beat-heartbeat": {
        "task": "notifications.heartbeat",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
}
