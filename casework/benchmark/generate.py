"""Generate a national-shaped data set fast: regions, OPDs, users, plans, meetings, cases with their histories.

Everything is written with ``Loader`` (COPY on PostgreSQL) in one transaction,
with ids chosen here so rows can refer to each other without reading back. The
stored deadline of every open case is computed with the same pure function the
services use (``escalation.deadlines.compute_deadline``) from the state, the
moment it was entered, the due date and the kecamatan's next meeting, so
``deadline_at`` / ``deadline_kind`` / ``update_due_at`` are what
``refresh_case_deadline`` would have stored.

Nothing here is used by the product; it exists for ``manage.py benchmark``.
"""
from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework.benchmark import shape as S
from casework.benchmark import texts
from casework.benchmark.loader import Loader
from casework.benchmark.stories import CaseStory, KecamatanCalendar, tell
from casework.models import (
    Activity,
    AgendaItem,
    Case,
    CaseEvent,
    Desa,
    IntermediateGoal,
    Kabupaten,
    Kecamatan,
    MainGoal,
    Meeting,
    MeetingDesa,
    Plan,
    Province,
)
from escalation.models import OPD, DeadlinePolicy, Holiday, Sector

UTC = ZoneInfo("UTC")
ZONES = (("Asia/Jakarta", 0.6), ("Asia/Makassar", 0.25), ("Asia/Jayapura", 0.15))
FLUSH_CASES = 20_000

CASE_FIELDS = ["id", "ref", "kabupaten_id", "kecamatan_id", "desa_id", "meeting_id", "main_goal_id", "activity_id",
               "obstacle", "cause", "solution", "support_needed", "support_from", "state", "version", "opd_id",
               "assignee_id", "due_date", "acknowledged_at", "returned", "return_reason", "escalation_count",
               "resolution", "resolved_by_text", "deadline_at", "deadline_kind", "update_due_at",
               "overdue_escalated_at", "created_by_id", "created_at", "updated_at", "state_changed_at",
               "last_progress_at"]
EVENT_FIELDS = ["id", "case_id", "at", "actor_id", "kind", "action", "from_state", "to_state", "note", "data",
                "meeting_id"]
AGENDA_FIELDS = ["id", "meeting_id", "case_id", "position", "state_when_carried", "outcome", "note",
                 "reviewed_by_id", "reviewed_at"]
USER_FIELDS = ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
               "is_staff", "is_active", "date_joined", "role", "kecamatan_id", "opd_id", "kabupaten_id", "phone",
               "notify_email", "notify_whatsapp"]
BIG_TABLES = (Case, CaseEvent, AgendaItem, MeetingDesa)
ALL_MODELS = (Province, Kabupaten, Kecamatan, Desa, DeadlinePolicy, OPD, User, Plan, MainGoal, IntermediateGoal,
              Activity, Meeting, MeetingDesa, Case, CaseEvent, AgendaItem)


@dataclass
class Ids:
    """Next free id per model (the tables may hold other rows, e.g. a superuser)."""

    next: dict = field(default_factory=dict)

    def take(self, model, n: int = 1) -> int:
        start = self.next.setdefault(model, Loader.next_id(model))
        self.next[model] = start + n
        return start


@dataclass
class Generated:
    shape: S.Shape
    counts: dict[str, int]
    seconds: float


def _split(total: int, parts: int, rng: random.Random, *, minimum: int = 1, first_share: float | None = None
           ) -> list[int]:
    """``total`` spread over ``parts`` with some unevenness; the first part gets ``first_share`` if given."""
    counts = [minimum] * parts
    rest = total - minimum * parts
    if first_share is not None and parts > 1:
        extra = max(0, round(total * first_share) - minimum)
        extra = min(extra, rest)
        counts[0] += extra
        rest -= extra
        weights = [0.0] + [rng.uniform(0.5, 1.5) for _ in range(parts - 1)]
    else:
        weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    total_w = sum(weights)
    shares = [int(rest * w / total_w) for w in weights]
    for i in range(rest - sum(shares)):
        shares[(i * 7919) % parts if first_share is None else 1 + (i * 7919) % (parts - 1)] += 1
    return [c + s for c, s in zip(counts, shares)]


def generate(n_cases: int, *, seed: int = 7, log: Callable[[str], None] = print) -> Generated:
    started = timezone.now()
    rng = random.Random(seed)
    shape = S.Shape.for_cases(n_cases)
    loader = Loader()
    ids = Ids()
    now = timezone.now()
    holidays = frozenset(Holiday.objects.filter(kabupaten__isnull=True).values_list("date", flat=True))
    password = make_password(None)
    with transaction.atomic():
        with loader.bare_tables(BIG_TABLES):
            # --- regions ------------------------------------------------------------------------------
            province_id = ids.take(Province)
            loader.load(Province, ["id", "name", "code"], [(province_id, S.MARKER_PROVINCE, "")])
            kec_per_kab = _split(shape.kecamatan, shape.kabupaten, rng, minimum=2, first_share=S.BIG_SHARE)
            kab_rows, kabs = [], []
            kab0 = ids.take(Kabupaten, shape.kabupaten)
            for i in range(shape.kabupaten):
                tz_name = rng.choices([z for z, _w in ZONES], [w for _z, w in ZONES])[0]
                kab_rows.append((kab0 + i, province_id, S.kabupaten_name(i), "", tz_name))
                kabs.append((kab0 + i, tz_name))
            loader.load(Kabupaten, ["id", "province_id", "name", "code", "timezone"], kab_rows)
            loader.load(DeadlinePolicy, ["id", "kabupaten_id", "raised_days", "escalated_working_days",
                                         "acknowledge_working_days", "update_interval_days", "default_due_days",
                                         "remind_before_days", "overdue_repeat_days", "overdue_escalate_days",
                                         "meeting_reminder_days", "working_hours_start", "working_hours_end",
                                         "updated_at"],
                        [(ids.take(DeadlinePolicy), kab_id, 30, 5, 3, 14, 30, 3, 7, 7, 3, 8, 16, now)
                         for kab_id, _tz in kabs])
            kec_rows, kecs = [], []  # kecs: (kec_id, kab_id, tz_name)
            kec_id = ids.take(Kecamatan, shape.kecamatan)
            for (kab_id, tz_name), count in zip(kabs, kec_per_kab):
                for j in range(count):
                    kec_rows.append((kec_id, kab_id, f"Kecamatan {kec_id}", ""))
                    kecs.append((kec_id, kab_id, tz_name))
                    kec_id += 1
            loader.load(Kecamatan, ["id", "kabupaten_id", "name", "code"], kec_rows)
            desa_per_kec = _split(shape.desa, shape.kecamatan, rng, minimum=3)
            desa_of: dict[int, list[int]] = {}
            desa_rows = []
            desa_id = ids.take(Desa, shape.desa)
            for (kid, _kab, _tz), count in zip(kecs, desa_per_kec):
                desa_of[kid] = list(range(desa_id, desa_id + count))
                desa_rows += [(d, kid, f"Desa {d}", "") for d in desa_of[kid]]
                desa_id += count
            loader.load(Desa, ["id", "kecamatan_id", "name", "code"], desa_rows)
            del desa_rows, kec_rows
            log(f"wilayah: {shape.kabupaten} kabupaten, {shape.kecamatan} kecamatan, {shape.desa} desa")

            # --- OPDs and people ----------------------------------------------------------------------
            sectors = [s for s in Sector.values if s != "other"][:S.OPDS_PER_KABUPATEN]
            opd_rows, opds_of = [], {}
            opd_id = ids.take(OPD, len(kabs) * len(sectors))
            for kab_id, _tz in kabs:
                opds_of[kab_id] = []
                for sector in sectors:
                    label = Sector(sector).label
                    opd_rows.append((opd_id, kab_id, f"Dinas {label}", f"D-{sector[:10].upper()}", sector, True))
                    opds_of[kab_id].append(opd_id)
                    opd_id += 1
            loader.load(OPD, ["id", "kabupaten_id", "name", "short_name", "sector", "active"], opd_rows)
            user_rows = []
            staff_of, officer_of, pokja_of = {}, {}, {}

            def person(username: str, role: str, *, kec=None, opd=None, kab=None, superuser=False) -> int:
                uid = ids.take(User)
                user_rows.append((uid, password, None, superuser, username, "Bench", role, f"{username}@bench.invalid",
                                  superuser, True, now, role, kec, opd, kab, "", True, False))
                return uid

            admin_id = person(S.admin_username(), "admin")
            person("bench-admin-2", "admin")
            for kab_id, _tz in kabs:
                pokja_of[kab_id] = [person(S.pokja_username(kab_id, n), "pokja", kab=kab_id)
                                    for n in range(1, S.POKJA_PER_KABUPATEN + 1)]
                for oid in opds_of[kab_id]:
                    officer_of[oid] = person(S.opd_username(oid), "opd", opd=oid)
            for kid, _kab, _tz in kecs:
                staff_of[kid] = person(S.kecamatan_username(kid), "kecamatan", kec=kid)
            loader.load(User, USER_FIELDS, user_rows)
            log(f"OPD: {len(opd_rows)}, pengguna: {len(user_rows)}")
            del user_rows, opd_rows

            # --- plans (Matriks 1): one per desa, 2 goals × (1 intermediate goal, 2 activities) ------
            n_desa = shape.desa
            first_desa = min(min(v) for v in desa_of.values())
            plan0, goal0 = ids.take(Plan, n_desa), ids.take(MainGoal, 2 * n_desa)
            ig0, act0 = ids.take(IntermediateGoal, 2 * n_desa), ids.take(Activity, 4 * n_desa)
            year = now.year
            for start in range(0, n_desa, 20_000):
                idx = range(start, min(n_desa, start + 20_000))
                loader.load(Plan, ["id", "desa_id", "period", "version", "note", "source_file", "created_at"],
                            [(plan0 + i, first_desa + i, str(year), 1, "", "", now) for i in idx])
                loader.load(MainGoal, ["id", "plan_id", "position", "statement", "target", "target_year"],
                            [(goal0 + 2 * i + g, plan0 + i, g + 1, texts.GOALS[(i + g) % len(texts.GOALS)],
                              "Meningkat 20%", year + 1) for i in idx for g in (0, 1)])
                loader.load(IntermediateGoal, ["id", "main_goal_id", "position", "statement", "target_value"],
                            [(ig0 + 2 * i + g, goal0 + 2 * i + g, 1, "Kelompok terbentuk dan aktif", "1 kelompok")
                             for i in idx for g in (0, 1)])
                loader.load(Activity, ["id", "main_goal_id", "intermediate_goal_id", "position", "name",
                                       "description", "funding_note"],
                            [(act0 + 4 * i + 2 * g + a, goal0 + 2 * i + g, ig0 + 2 * i + g, a + 1,
                              texts.ACTIVITIES[(i + a) % len(texts.ACTIVITIES)], "", "Dana Desa")
                             for i in idx for g in (0, 1) for a in (0, 1)])
            log(f"rencana desa: {n_desa}")

            # --- meetings: every 60 days per kecamatan, the next one scheduled (draft) -----------------
            calendars: dict[int, KecamatanCalendar] = {}
            meeting_rows, md_rows = [], []
            n_meetings = shape.kecamatan * (S.MEETINGS_BACK + 1)
            meeting_id = ids.take(Meeting, n_meetings)
            md_id = ids.take(MeetingDesa, sum(len(desa_of[k]) for k, _a, _b in kecs) * (S.MEETINGS_BACK + 1))
            today = now.date()
            for kid, kab_id, tz_name in kecs:
                tz = ZoneInfo(tz_name)
                next_date = today + timedelta(days=rng.randint(1, S.MEETING_EVERY_DAYS - 1))
                dates = [next_date - timedelta(days=S.MEETING_EVERY_DAYS * k) for k in range(S.MEETINGS_BACK, 0, -1)]
                past, previous = [], None
                for d in dates:
                    held = datetime.combine(d, time(9), tzinfo=tz).astimezone(UTC)
                    following = d + timedelta(days=S.MEETING_EVERY_DAYS)
                    meeting_rows.append((meeting_id, kid, d, "Aula kantor camat", "Camat", "finalised", following,
                                         previous, "", 3, secrets.token_urlsafe(16), held, held + timedelta(hours=4),
                                         staff_of[kid], held - timedelta(days=7)))
                    past.append((meeting_id, d, held + timedelta(hours=1)))
                    previous = meeting_id
                    meeting_id += 1
                draft_id = meeting_id
                meeting_rows.append((draft_id, kid, next_date, "Aula kantor camat", "Camat", "draft", None, previous,
                                     "", 1, secrets.token_urlsafe(16), None, None, staff_of[kid],
                                     now - timedelta(days=1)))
                meeting_id += 1
                for mid in [m for m, _d, _at in past] + [draft_id]:
                    for pos, did in enumerate(desa_of[kid], start=1):
                        md_rows.append((md_id, mid, did, pos, plan0 + did - first_desa, ""))
                        md_id += 1
                calendars[kid] = KecamatanCalendar(tz=tz, past=past, next_date=next_date, draft_id=draft_id)
                if len(md_rows) >= 100_000:
                    _flush_meetings(loader, meeting_rows, md_rows)
            _flush_meetings(loader, meeting_rows, md_rows)
            log(f"pertemuan: {n_meetings}")

            # --- cases, their histories and the agenda of past meetings -------------------------------
            per_desa = _split(shape.cases, shape.desa, rng, minimum=0)
            case_id = ids.take(Case, shape.cases)
            buffers = {"case": [], "event": [], "agenda": []}
            event_id = ids.take(CaseEvent, 0)
            agenda_id = ids.take(AgendaItem, 0)
            due_target = S.DUE_SHARE_OF_OPEN
            long_timeline_kec = kecs[kec_per_kab[0]][0]  # first kecamatan of the typical kabupaten
            done = 0
            for kid, kab_id, tz_name in kecs:
                cal = calendars[kid]
                long_done = kid != long_timeline_kec
                for desa_pos, did in enumerate(desa_of[kid], start=1):
                    n_here = per_desa[did - first_desa]
                    plan_i = did - first_desa
                    for _ in range(n_here):
                        story = tell(rng, now=now, cal=cal, holidays=holidays, due_share=due_target)
                        opd = rng.choice(opds_of[kab_id]) if story.needs_opd else None
                        assignee = officer_of[opd] if opd and rng.random() < 0.5 else None
                        meeting_id_raised = story.raised_meeting
                        goal = goal0 + 2 * plan_i + rng.randint(0, 1) if meeting_id_raised else None
                        activity = (act0 + 4 * plan_i + 2 * (goal - goal0 - 2 * plan_i) + rng.randint(0, 1)
                                    if goal and rng.random() < 0.5 else None)
                        extra = 0
                        if not long_done and story.state == "assigned":
                            extra, long_done = S.LONG_TIMELINE_EVENTS, True
                        event_id, agenda_id = _emit(buffers, story, case_id=case_id, kab_id=kab_id, kec_id=kid,
                                                    desa_id=did, opd=opd, assignee=assignee, goal=goal,
                                                    activity=activity, staff=staff_of[kid], pokja=pokja_of[kab_id][0],
                                                    officer=officer_of.get(opd), rng=rng, event_id=event_id,
                                                    agenda_id=agenda_id, extra_events=extra, now=now,
                                                    desa_pos=desa_pos)
                        case_id += 1
                        done += 1
                if len(buffers["case"]) >= FLUSH_CASES:
                    _flush_cases(loader, buffers)
                    if done % 100_000 < FLUSH_CASES:
                        log(f"kasus: {done:,}")
            _flush_cases(loader, buffers)
            ids.next[CaseEvent], ids.next[AgendaItem] = event_id, agenda_id
            log(f"kasus: {done:,}, riwayat: {loader.counts.get('casework.CaseEvent', 0):,}, "
                f"agenda: {loader.counts.get('casework.AgendaItem', 0):,}; membangun indeks ...")
        loader.reset_sequences(ALL_MODELS)
    loader.analyze(ALL_MODELS)
    seconds = (timezone.now() - started).total_seconds()
    return Generated(shape=shape, counts=dict(loader.counts), seconds=seconds)


def _flush_meetings(loader: Loader, meeting_rows: list, md_rows: list) -> None:
    loader.load(Meeting, ["id", "kecamatan_id", "date", "place", "chair", "status", "next_meeting_date", "previous_id",
                          "notes", "version", "share_token", "prepared_at", "finalised_at", "created_by_id",
                          "created_at"], meeting_rows)
    loader.load(MeetingDesa, ["id", "meeting_id", "desa_id", "position", "plan_id", "representative"], md_rows)
    meeting_rows.clear()
    md_rows.clear()


def _flush_cases(loader: Loader, buffers: dict) -> None:
    loader.load(Case, CASE_FIELDS, buffers["case"])
    loader.load(CaseEvent, EVENT_FIELDS, buffers["event"])
    loader.load(AgendaItem, AGENDA_FIELDS, buffers["agenda"])
    for rows in buffers.values():
        rows.clear()


def _emit(buffers: dict, story: CaseStory, *, case_id: int, kab_id: int, kec_id: int, desa_id: int, opd, assignee,
          goal, activity, staff: int, pokja: int, officer, rng: random.Random, event_id: int, agenda_id: int,
          extra_events: int, now: datetime, desa_pos: int) -> tuple[int, int]:
    """Append the case row, its history rows and its agenda rows; returns the next free event and agenda ids."""
    actor = {"kecamatan": staff, "pokja": pokja, "opd": officer or staff}
    events = list(story.events)
    if extra_events:
        start = story.state_changed_at
        step = (now - start) / (extra_events + 1)
        events += [(start + step * (k + 1), "progress" if k % 2 else "comment", "", "", "",
                    "opd" if k % 2 else "pokja", None) for k in range(extra_events)]
        events.sort(key=lambda e: e[0])
    for at, kind, action, from_state, to_state, who, meeting in events:
        data = "{}"
        if action == "assign":
            data = f'{{"opd_id": {opd}, "assignee_id": {assignee or "null"}}}'
        buffers["event"].append((event_id, case_id, at, actor[who], kind, action, from_state, to_state,
                                 texts.note(rng) if kind != "created" else "", data, meeting))
        event_id += 1
    for meeting, state_then, outcome, at in story.agenda:
        buffers["agenda"].append((agenda_id, meeting, case_id, desa_pos, state_then, outcome,
                                  texts.note(rng) if outcome == "still_open" else "", staff, at))
        agenda_id += 1
    obstacle = texts.obstacle(rng)
    if extra_events:
        obstacle = f"{S.LONG_TIMELINE_MARK} {obstacle}"
    resolved = story.state in ("resolved", "closed")
    escalated = story.escalation_count > 0
    buffers["case"].append((
        case_id, uuid.UUID(int=rng.getrandbits(128), version=4), kab_id, kec_id, desa_id, story.raised_meeting,
        goal, activity, obstacle, texts.cause(rng), texts.solution(rng),
        texts.support(rng) if escalated else "", "kabupaten" if escalated else "desa", story.state, story.version,
        opd, assignee if opd else None, story.due_date, story.acknowledged_at, False, "", story.escalation_count,
        texts.resolution(rng) if resolved else "", ("Dinas terkait" if opd else "Desa") if resolved else "",
        story.deadline_at, story.deadline_kind, story.update_due_at, None, staff, story.created_at,
        events[-1][0], story.state_changed_at, story.last_progress_at,
    ))
    return event_id, agenda_id
