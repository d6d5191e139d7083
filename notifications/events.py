"""Case events → ledger rows, written inside the casework transaction.

``casework.signals.case_event_recorded`` is sent inside the service's
transaction, so a notification exists if and only if the change it announces
was committed. Sending is enqueued *after* commit; if the broker is down the
case work still succeeds and the periodic delivery picks the row up later.
"""
from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification, NotificationKind
from notifications.recipients import Directory
from notifications.timing import fallback_window, send_windows

log = logging.getLogger(__name__)

# action → (kind, who is told). Progress is an event kind, not an action.
TRANSITIONS = {
    "escalate": (NotificationKind.ESCALATED, "pokja"),
    "re_escalate": (NotificationKind.ESCALATED, "pokja"),
    "assign": (NotificationKind.ASSIGNED, "opd"),
    "return_case": (NotificationKind.RETURNED, "pokja"),
    "send_back": (NotificationKind.SENT_BACK, "kecamatan"),
    "resolve": (NotificationKind.RESOLVED, "kecamatan"),
    "reopen": (NotificationKind.REOPENED, "opd"),
}


def _classify(event) -> tuple[str, str] | None:
    if event.kind == "transition":
        found = TRANSITIONS.get(event.action)
        if found and found[1] == "opd" and event.to_state != "assigned":
            return None  # reopened back to the kecamatan: they reopened it themselves
        return found
    if event.kind == "progress":
        return NotificationKind.PROGRESS, "kecamatan"
    return None


def _payload(case, event) -> dict:
    actor = event.actor
    return {
        "case_number": case.pk,
        "obstacle": case.obstacle[:300],
        "desa": case.desa.name,
        "kecamatan": case.kecamatan.name,
        "actor": (actor.get_full_name() or actor.username) if actor else "",
        "note": event.note[:1000],
        "opd": case.opd.short_name if case.opd_id else "",
        "due_date": case.due_date.isoformat() if case.due_date else "",
        "state": case.state,
    }


def record_case_event(event) -> list[Notification]:
    """Write the ledger rows an event calls for, and enqueue delivery after commit."""
    classified = _classify(event)
    if classified is None:
        return []
    kind, audience = classified
    case = event.case
    row = {"kecamatan_id": case.kecamatan_id, "kabupaten_id": case.kabupaten_id, "opd_id": case.opd_id,
           "assignee_id": (event.data or {}).get("assignee_id") or case.assignee_id}
    directory = Directory([row])
    if audience == "pokja":
        people = directory.pokja.get(case.kabupaten_id, [])
    elif audience == "opd":
        people = directory.opd_people(row)
    else:
        people = directory.kecamatan.get(case.kecamatan_id, [])
    people = [uid for uid in people if uid != event.actor_id]  # never tell the actor what they just did
    if not people:
        return []
    now = timezone.now()
    window = send_windows([case.kabupaten_id]).get(case.kabupaten_id) or fallback_window()
    payload = _payload(case, event)
    rows = [Notification(recipient_id=uid, key=f"event:{event.pk}", kind=kind, case_id=case.pk, payload=payload,
                         created_at=now, send_after=window.next_send_time(now)) for uid in people]
    # The key is unique per recipient: a re-sent signal cannot write a second row.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(enqueue_delivery)
    return rows


def enqueue_delivery() -> None:
    """Ask a worker to deliver now. A broker outage must never break the case work: log and move on;
    the periodic ``deliver_due`` (notifications.schedule) sends the rows when the broker is back."""
    from notifications.tasks import deliver_due

    try:
        deliver_due.apply_async(retry=True, retry_policy={"max_retries": 1, "interval_start": 0,
                                                          "interval_step": 0.2, "interval_max": 0.5})
    except Exception:  # noqa: BLE001 - any broker error; the ledger row is already committed
        log.warning("Broker unreachable; notifications will go out with the next periodic delivery",
                    exc_info=True)
