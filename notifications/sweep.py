"""The reminder sweep: finds what has become due and writes ledger rows for it, set-based.

Runs every few minutes (notifications.schedule) and is idempotent:
- each kind is one indexed query over the stored deadline fields
  (``Case.deadline_at`` / ``update_due_at`` / ``overdue_escalated_at``) per group
  of kabupaten sharing the same policy values, restricted by NOT EXISTS to cases
  that have no ledger row for the current deadline (and period) yet;
- the anti-join runs once per kind (per batch of ``ID_BATCH`` due ids, keyset),
  not once per chunk: a chunked query repeating it re-read the ledger's index
  for every chunk, so its cost grew with chunks × ledger size;
- the due cases' fields are then read in chunks of ids, so memory stays flat
  however many cases there are;
- rows are inserted with ``INSERT … ON CONFLICT (recipient, key) DO NOTHING``:
  two sweeps running at once create each reminder once, and the statement's
  row count is exactly what this sweep created.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casework.models import OPEN_STATES, AgendaItem, Case, Meeting, MeetingStatus
from notifications.models import Notification, NotificationKind
from notifications.recipients import Directory, kecamatan_staff
from notifications.timing import SendWindow, fallback_window, send_windows

# Cases read (and reminders inserted) per query. Measured at 100,000 cases, 500, 1,000 and 2,000 take
# the same time now that a chunk no longer repeats the anti-join; the sweep's peak allocation grows
# with the chunk (~3 MB per 1,000). SQLite is held to Django's 999 parameters.
CHUNK = 1000
# Due ids per anti-join query (~0.7 MB of ints): at 1,000,000 cases about three queries for the
# ~50,000 overdue cases, one for each other kind.
ID_BATCH = 20_000
# The OPD's short name (the escalation's payload) comes from _Writer.opd_names, not a join: the
# planner, expecting one row from the just-marked cases, rescanned the whole OPD table per case.
CASE_FIELDS = ("pk", "kabupaten_id", "kecamatan_id", "opd_id", "assignee_id", "deadline_at", "deadline_kind",
               "update_due_at", "state", "obstacle", "desa__name")
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


def _chunk_size() -> int:
    limit = connection.features.max_query_params
    return CHUNK if limit is None else min(CHUNK, limit // 2)


def _due_ids(due: QuerySet) -> Iterator[list[int]]:
    """The ids of ``due`` by ascending pk, in chunks; the query (with its anti-join) runs once per ID_BATCH."""
    size, last = _chunk_size(), 0
    while True:
        ids = list(due.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:ID_BATCH])
        for i in range(0, len(ids), size):
            yield ids[i:i + size]
        if len(ids) < ID_BATCH:
            return
        last = ids[-1]


def _chunks(base: QuerySet, due: QuerySet, fields=CASE_FIELDS) -> Iterator[list[dict]]:
    """Rows of ``due`` in chunks, by ascending pk.

    The ids come from ``due`` (``base`` plus the NOT EXISTS); the fields are read from ``base`` by
    primary key, so a case that changed in between is judged on its current state, and the anti-join
    is not planned again per chunk. A reminder written meanwhile by a concurrent sweep is a conflict
    the insert ignores.
    """
    for ids in _due_ids(due):
        rows = list(base.filter(pk__in=ids).order_by("pk").values(*fields))
        if rows:
            yield rows


def _case_payload(row: dict, **extra) -> dict:
    payload = {"case_number": row["pk"], "obstacle": row["obstacle"][:300], "desa": row["desa__name"],
               "deadline_kind": row["deadline_kind"], "state": row["state"]}
    if row.get("deadline_at"):
        payload["deadline_at"] = row["deadline_at"].isoformat()
    payload.update(extra)
    return payload


# The ledger columns the sweep writes; planned_at and read_at stay NULL, id comes from the database.
COLUMNS = ("recipient_id", "key", "kind", "case_id", "meeting_id", "ref_at", "covers_until", "period", "payload",
           "created_at", "send_after")
_DATETIMES = frozenset({"ref_at", "covers_until", "created_at", "send_after"})


def _insert_sql(source: str) -> str:
    qn = connection.ops.quote_name
    return (f"INSERT INTO {qn(Notification._meta.db_table)} ({', '.join(qn(c) for c in COLUMNS)}) {source}"
            f" ON CONFLICT ({qn('recipient_id')}, {qn('key')}) DO NOTHING")


def _insert_postgresql(rows: list[tuple]) -> int:
    """The batch as one jsonb parameter, expanded by jsonb_to_recordset.

    A VALUES list binds eleven parameters per row, and psycopg's client-side binding splits and
    quotes them in Python: three quarters of the insert's time was spent there, not in PostgreSQL.
    """
    qn = connection.ops.quote_name
    types = ", ".join(f"{qn(c)} {Notification._meta.get_field(c).db_type(connection)}" for c in COLUMNS)
    data = json.dumps([{c: v.isoformat() if c in _DATETIMES and v is not None else v for c, v in zip(COLUMNS, row)}
                       for row in rows])
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(f"SELECT {', '.join(qn(c) for c in COLUMNS)} "
                                   f"FROM jsonb_to_recordset(%s::jsonb) AS r({types})"), [data])
        return cursor.rowcount


def _insert_values(rows: list[tuple]) -> int:
    """A portable VALUES list (SQLite), in batches within the backend's parameter limit."""
    fields = [Notification._meta.get_field(c) for c in COLUMNS]
    adapt = [connection.ops.adapt_datetimefield_value if c in _DATETIMES
             else (lambda v, f=f: f.get_db_prep_save(v, connection)) if c == "payload" else None
             for c, f in zip(COLUMNS, fields)]
    one = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    size = max(1, connection.ops.bulk_batch_size(fields, rows))
    created = 0
    with connection.cursor() as cursor:
        for i in range(0, len(rows), size):
            batch = rows[i:i + size]
            params = [a(v) if a and v is not None else v for row in batch for a, v in zip(adapt, row)]
            cursor.execute(_insert_sql(f"VALUES {', '.join([one] * len(batch))}"), params)
            created += cursor.rowcount
    return created


class _Writer:
    """Collects ledger rows and inserts them; counts what this sweep created."""

    def __init__(self, now: datetime, windows: dict[int, SendWindow]):
        self.now = now
        self.windows = windows
        self.created: Counter = Counter()
        self._send_after: dict[int | None, datetime] = {}
        self._directory: Directory | None = None
        self._opd_names: dict[int, str] | None = None

    @property
    def directory(self) -> Directory:
        """Everyone who may be told, loaded once per sweep on first need (one query, not three per chunk)."""
        if self._directory is None:
            self._directory = Directory.everyone()
        return self._directory

    @property
    def opd_names(self) -> dict[int, str]:
        if self._opd_names is None:
            from escalation.models import OPD

            self._opd_names = dict(OPD.objects.order_by().values_list("pk", "short_name"))
        return self._opd_names

    def send_after(self, kabupaten_id: int | None) -> datetime:
        # Depends only on the kabupaten and this sweep's "now": computed once per kabupaten.
        if kabupaten_id not in self._send_after:
            window = self.windows.get(kabupaten_id) or fallback_window()
            self._send_after[kabupaten_id] = window.next_send_time(self.now)
        return self._send_after[kabupaten_id]

    def insert(self, kind: str, rows: list[tuple]) -> None:
        """``INSERT … ON CONFLICT (recipient, key) DO NOTHING``; the row count is what this sweep created.

        bulk_create(ignore_conflicts=True) cannot say which rows it wrote, so counting needed a
        query per batch; the statement's own row count excludes rows a concurrent sweep wrote first.
        """
        if not rows:
            return
        for i in range(0, len(rows), CHUNK):
            batch = rows[i:i + CHUNK]
            if connection.vendor == "postgresql":
                self.created[kind] += _insert_postgresql(batch)
            else:
                self.created[kind] += _insert_values(batch)

    def row(self, *, uid: int, key: str, kind: str, case_row: dict | None = None, kabupaten_id: int | None = None,
            meeting_id: int | None = None, ref_at: datetime | None = None, covers_until: datetime | None = None,
            period: int = 0, payload: dict) -> tuple:
        kab = case_row["kabupaten_id"] if case_row else kabupaten_id
        return (uid, key, kind, case_row["pk"] if case_row else None, meeting_id, ref_at, covers_until, period,
                payload, self.now, self.send_after(kab))


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
    base = _open_cases(kab_ids).filter(deadline_kind__in=SOON_KINDS, deadline_at__gt=w.now,
                                       deadline_at__lte=w.now + timedelta(days=profile.remind_before_days))
    for rows in _chunks(base, base.exclude(_reminded(Q(kind=kind), "deadline_at"))):
        d = w.directory
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
    base = _open_cases(kab_ids).filter(deadline_at__lte=w.now)
    for rows in _chunks(base, base.exclude(_reminded(overdue_kinds, "deadline_at", covering=w.now))):
        d = w.directory
        batch: dict[str, list[tuple]] = defaultdict(list)
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
    base = Case.objects.filter(kabupaten_id__in=kab_ids, state="assigned", update_due_at__lte=w.now)
    for rows in _chunks(base, base.exclude(_reminded(Q(kind=kind), "update_due_at"))):
        d = w.directory
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
    for ids in _due_ids(qs):
        with transaction.atomic():
            Case.objects.filter(pk__in=ids, overdue_escalated_at=None).update(overdue_escalated_at=w.now)
            mine = list(Case.objects.filter(pk__in=ids, overdue_escalated_at=w.now).order_by("pk")
                        .values(*CASE_FIELDS))
            if not mine:
                continue
            pokja, opd_names = w.directory.pokja, w.opd_names
            w.insert(kind, [w.row(uid=uid, key=f"overdue_escalation:{r['pk']}:{r['deadline_at']:%Y%m%d}", kind=kind,
                                  case_row=r, ref_at=r["deadline_at"],
                                  payload=_case_payload(r, days_overdue=(w.now - r["deadline_at"]).days,
                                                        opd=opd_names.get(r["opd_id"]) or ""))
                            for r in mine for uid in pokja.get(r["kabupaten_id"], [])])


def _carried_counts(due: list[dict]) -> dict[int, int]:
    """{meeting id: cases it carries over}, for every due meeting in at most two queries (was one each).

    A draft meeting will carry what ``casework.services.meetings.carried_over_cases`` selects: the
    kecamatan's cases needing follow-up, less those raised at this meeting. A prepared one
    carries its agenda.
    """
    from casework.services.meetings import needing_follow_up

    drafts = [m for m in due if m["status"] == MeetingStatus.DRAFT]
    others = [m["pk"] for m in due if m["status"] != MeetingStatus.DRAFT]
    counts: dict[int, int] = {}
    if drafts:
        per_kec: Counter = Counter()
        raised_at: dict[tuple[int, int | None], int] = {}
        for kec, meeting, n in (needing_follow_up({m["kecamatan_id"] for m in drafts}).order_by()
                                .values_list("kecamatan_id", "meeting_id").annotate(n=Count("pk"))):
            per_kec[kec] += n
            raised_at[(kec, meeting)] = n
        for m in drafts:
            counts[m["pk"]] = per_kec[m["kecamatan_id"]] - raised_at.get((m["kecamatan_id"], m["pk"]), 0)
    if others:
        counts.update(AgendaItem.objects.filter(meeting_id__in=others).order_by()
                      .values("meeting_id").annotate(n=Count("pk")).values_list("meeting_id", "n"))
    return counts


def sweep_meetings(w: _Writer, profiles: dict[Profile, list[int]]) -> None:
    """Scheduled (not finalised) meetings within ``meeting_reminder_days``: remind the kecamatan staff."""
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
    due = [m for m in due if f"meeting:{m['pk']}:{m['date']:%Y%m%d}" not in done]
    if not due:
        return
    staff = kecamatan_staff(m["kecamatan_id"] for m in due)
    carried = _carried_counts(due)
    rows = []
    for m in due:
        payload = {"meeting_date": m["date"].isoformat(), "place": m["place"], "kecamatan": m["kecamatan__name"],
                   "carried_over": carried.get(m["pk"], 0)}
        rows += [w.row(uid=uid, key=f"meeting:{m['pk']}:{m['date']:%Y%m%d}", kind=kind, meeting_id=m["pk"],
                       kabupaten_id=m["kecamatan__kabupaten_id"], payload=payload)
                 for uid in staff.get(m["kecamatan_id"], [])]
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
