"""The reminder sweep: finds what has become due and writes ledger rows for it, set-based.

Runs every few minutes (notifications.schedule) and is idempotent:
- each kind is one indexed query over the stored deadline fields
  (``Case.deadline_at`` / ``update_due_at`` / ``overdue_escalated_at``) per group
  of kabupaten sharing the same policy values, restricted by NOT EXISTS to cases
  that have no ledger row for the current deadline (and period) yet;
- rows are read in chunks of ids (keyset), so memory stays flat however many
  cases there are;
- rows are inserted with ``bulk_create(ignore_conflicts=True)`` on the unique
  (recipient, key): two sweeps running at once create each reminder once.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casework.models import OPEN_STATES, Case, Meeting, MeetingStatus
from notifications.models import Notification, NotificationKind
from notifications.recipients import Directory, kecamatan_staff
from notifications.timing import SendWindow, fallback_window, send_windows

CHUNK = 500
CASE_FIELDS = ("pk", "kabupaten_id", "kecamatan_id", "opd_id", "assignee_id", "deadline_at", "deadline_kind",
               "update_due_at", "state", "obstacle", "desa__name", "opd__short_name")
# Deadlines worth an advance warning. The OPD's 3-day acknowledgement would be "due soon" the
# moment it is assigned, and a resolved case's confirmation is the meeting reminder's job.
SOON_KINDS = ("decide", "assign", "resolve")


@dataclass(frozen=True)
class Profile:
    """The policy values the sweep needs; kabupaten sharing them are swept together."""

    remind_before_days: int = 3
    overdue_repeat_days: int = 7
    overdue_escalate_days: int = 7
    meeting_reminder_days: int = 3


def _profiles() -> dict[Profile, list[int]]:
    from casework.models import Kabupaten
    from escalation.models import DeadlinePolicy

    fields = ("remind_before_days", "overdue_repeat_days", "overdue_escalate_days", "meeting_reminder_days")
    policies = {row.pop("kabupaten_id"): Profile(**row)
                for row in DeadlinePolicy.objects.values("kabupaten_id", *fields)}
    groups: dict[Profile, list[int]] = defaultdict(list)
    for kab_id in Kabupaten.objects.order_by("pk").values_list("pk", flat=True):
        groups[policies.get(kab_id, Profile())].append(kab_id)
    return groups


def _chunks(qs: QuerySet, fields=CASE_FIELDS):
    """Rows of ``qs`` in chunks of CHUNK, by ascending pk: each chunk is its own short query."""
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk").values(*fields)[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]


def _case_payload(row: dict, **extra) -> dict:
    payload = {"case_number": row["pk"], "obstacle": row["obstacle"][:300], "desa": row["desa__name"],
               "deadline_kind": row["deadline_kind"], "state": row["state"]}
    if row.get("deadline_at"):
        payload["deadline_at"] = row["deadline_at"].isoformat()
    payload.update(extra)
    return payload


class _Writer:
    """Collects ledger rows and inserts them; counts what this sweep created."""

    def __init__(self, now: datetime, windows: dict[int, SendWindow]):
        self.now = now
        self.windows = windows
        self.created: Counter = Counter()

    def send_after(self, kabupaten_id: int | None) -> datetime:
        return (self.windows.get(kabupaten_id) or fallback_window()).next_send_time(self.now)

    def insert(self, kind: str, rows: list[Notification]) -> None:
        if not rows:
            return
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=CHUNK)
        # created_at is this sweep's own timestamp, so the count excludes a concurrent sweep's rows.
        self.created[kind] += Notification.objects.filter(
            kind=kind, created_at=self.now, key__in=[r.key for r in rows]).count()

    def row(self, *, uid: int, key: str, kind: str, case_row: dict | None = None, **fields) -> Notification:
        kab = case_row["kabupaten_id"] if case_row else fields.pop("kabupaten_id", None)
        return Notification(recipient_id=uid, key=key, kind=kind, created_at=self.now,
                            send_after=self.send_after(kab), case_id=case_row["pk"] if case_row else None, **fields)


def _open_cases(kab_ids: list[int]) -> QuerySet:
    return Case.objects.filter(kabupaten_id__in=kab_ids, state__in=OPEN_STATES)


def _reminded(kind_filter: Q, ref_field: str, *, covering: datetime | None = None) -> Exists:
    qs = Notification.objects.filter(kind_filter, case_id=OuterRef("pk"), ref_at=OuterRef(ref_field))
    if covering is not None:
        qs = qs.filter(covers_until__gt=covering)
    return Exists(qs)


def sweep_deadline_soon(w: _Writer, profile: Profile, kab_ids: list[int]) -> None:
    """A deadline within ``remind_before_days``: warn whoever must act, once per deadline."""
    kind = NotificationKind.DEADLINE_SOON
    qs = (_open_cases(kab_ids).filter(deadline_kind__in=SOON_KINDS, deadline_at__gt=w.now,
                                      deadline_at__lte=w.now + timedelta(days=profile.remind_before_days))
          .exclude(_reminded(Q(kind=kind), "deadline_at")))
    for rows in _chunks(qs):
        d = Directory(rows)
        w.insert(kind, [w.row(uid=uid, key=f"reminder:{r['pk']}:soon:{r['deadline_at']:%Y%m%d}", kind=kind,
                              case_row=r, ref_at=r["deadline_at"], payload=_case_payload(r))
                        for r in rows for uid in d.who_must_act(r)])


def sweep_overdue(w: _Writer, profile: Profile, kab_ids: list[int]) -> None:
    """Deadline passed (period 0), then again every ``overdue_repeat_days`` (period 1, 2, ...).

    A row covers its period until ``covers_until``; the NOT EXISTS finds cases
    whose current period has no row yet. After a long outage only the current
    period is reminded, not every missed one.
    """
    repeat = timedelta(days=profile.overdue_repeat_days)
    overdue_kinds = Q(kind__in=[NotificationKind.DEADLINE_PASSED, NotificationKind.OVERDUE_REPEAT])
    qs = (_open_cases(kab_ids).filter(deadline_at__lte=w.now)
          .exclude(_reminded(overdue_kinds, "deadline_at", covering=w.now)))
    for rows in _chunks(qs):
        d = Directory(rows)
        batch: dict[str, list[Notification]] = defaultdict(list)
        for r in rows:
            period = int((w.now - r["deadline_at"]) / repeat)
            kind = NotificationKind.DEADLINE_PASSED if period == 0 else NotificationKind.OVERDUE_REPEAT
            days = (w.now - r["deadline_at"]).days
            for uid in d.who_must_act(r):
                batch[kind].append(w.row(
                    uid=uid, key=f"reminder:{r['pk']}:overdue:{r['deadline_at']:%Y%m%d}:{period}", kind=kind,
                    case_row=r, ref_at=r["deadline_at"], period=period,
                    covers_until=r["deadline_at"] + repeat * (period + 1),
                    payload=_case_payload(r, days_overdue=days, period=period)))
        for kind, items in batch.items():
            w.insert(kind, items)


def sweep_no_update(w: _Writer, profile: Profile, kab_ids: list[int]) -> None:
    """An assigned case whose OPD posted no progress within the policy's update interval."""
    kind = NotificationKind.NO_UPDATE
    qs = (Case.objects.filter(kabupaten_id__in=kab_ids, state="assigned", update_due_at__lte=w.now)
          .exclude(_reminded(Q(kind=kind), "update_due_at")))
    for rows in _chunks(qs):
        d = Directory(rows)
        w.insert(kind, [w.row(uid=uid, key=f"reminder:{r['pk']}:no_update:{r['update_due_at']:%Y%m%d}", kind=kind,
                              case_row=r, ref_at=r["update_due_at"],
                              payload=_case_payload(r, update_due_at=r["update_due_at"].isoformat()))
                        for r in rows for uid in d.opd_people(r)])


def sweep_overdue_escalation(w: _Writer, profile: Profile, kab_ids: list[int]) -> None:
    """Overdue past ``overdue_escalate_days``: mark the case and tell the Pokja chair.

    The mark is a conditional UPDATE (… WHERE overdue_escalated_at IS NULL) with
    this sweep's own timestamp; only the cases this sweep marked are notified,
    in the same transaction, so a concurrent sweep neither marks nor tells twice.
    """
    kind = NotificationKind.OVERDUE_ESCALATION
    qs = (_open_cases(kab_ids).exclude(deadline_kind="confirm")
          .filter(overdue_escalated_at=None,
                  deadline_at__lte=w.now - timedelta(days=profile.overdue_escalate_days)))
    for rows in _chunks(qs, ("pk",)):
        ids = [r["pk"] for r in rows]
        with transaction.atomic():
            Case.objects.filter(pk__in=ids, overdue_escalated_at=None).update(overdue_escalated_at=w.now)
            mine = list(Case.objects.filter(pk__in=ids, overdue_escalated_at=w.now).values(*CASE_FIELDS))
            d = Directory(mine)
            w.insert(kind, [w.row(uid=uid, key=f"overdue_escalation:{r['pk']}:{r['deadline_at']:%Y%m%d}", kind=kind,
                                  case_row=r, ref_at=r["deadline_at"],
                                  payload=_case_payload(r, days_overdue=(w.now - r["deadline_at"]).days,
                                                        opd=r["opd__short_name"] or ""))
                            for r in mine for uid in d.pokja.get(r["kabupaten_id"], [])])


def sweep_meetings(w: _Writer, profiles: dict[Profile, list[int]]) -> None:
    """Scheduled (not finalised) meetings within ``meeting_reminder_days``: remind the kecamatan staff."""
    from casework.services.meetings import carried_over_cases

    kind = NotificationKind.MEETING
    days_by_kab = {kab: p.meeting_reminder_days for p, kabs in profiles.items() for kab in kabs}
    if not days_by_kab:
        return
    utc_today = w.now.date()
    # One query for every candidate; the exact local "today" of each kabupaten is applied below.
    qs = (Meeting.objects.exclude(status=MeetingStatus.FINALISED)
          .filter(date__gte=utc_today - timedelta(days=1),
                  date__lte=utc_today + timedelta(days=max(days_by_kab.values()) + 1))
          .values("pk", "date", "status", "place", "kecamatan_id", "kecamatan__name", "kecamatan__kabupaten_id"))
    due = []
    for m in qs:
        kab = m["kecamatan__kabupaten_id"]
        window = w.windows.get(kab) or fallback_window()
        today = w.now.astimezone(window.tz).date()
        if today <= m["date"] <= today + timedelta(days=days_by_kab.get(kab, 3)):
            due.append(m)
    if not due:
        return
    keys = {f"meeting:{m['pk']}:{m['date']:%Y%m%d}" for m in due}
    done = set(Notification.objects.filter(kind=kind, key__in=keys).values_list("key", flat=True).distinct())
    staff = kecamatan_staff(m["kecamatan_id"] for m in due)
    rows = []
    for m in due:
        key = f"meeting:{m['pk']}:{m['date']:%Y%m%d}"
        if key in done:
            continue
        meeting = Meeting(pk=m["pk"], kecamatan_id=m["kecamatan_id"])
        if m["status"] == MeetingStatus.DRAFT:
            carried = carried_over_cases(meeting).count()
        else:
            carried = meeting.agenda.count()
        payload = {"meeting_date": m["date"].isoformat(), "place": m["place"], "kecamatan": m["kecamatan__name"],
                   "carried_over": carried}
        rows += [w.row(uid=uid, key=key, kind=kind, meeting_id=m["pk"], kabupaten_id=m["kecamatan__kabupaten_id"],
                       payload=payload) for uid in staff.get(m["kecamatan_id"], [])]
    w.insert(kind, rows)


def sweep_reminders(*, now: datetime | None = None) -> Counter:
    """Run every kind of the sweep once. Returns {kind: rows created by this sweep}."""
    now = now or timezone.now()
    writer = _Writer(now, send_windows())
    profiles = _profiles()
    for profile, kab_ids in profiles.items():
        sweep_deadline_soon(writer, profile, kab_ids)
        sweep_overdue(writer, profile, kab_ids)
        sweep_no_update(writer, profile, kab_ids)
        sweep_overdue_escalation(writer, profile, kab_ids)
    sweep_meetings(writer, profiles)
    return writer.created
