"""Signal receivers, connected in NotificationsConfig.ready()."""
from __future__ import annotations


def on_case_event_recorded(sender, event, **kwargs) -> None:
    """Inside the casework transaction: write the ledger rows for this event."""
    from notifications.events import record_case_event

    record_case_event(event)
