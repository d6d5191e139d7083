"""The life of one synthetic case: its state, the history rows leading there, its reviews and its stored deadline.

``tell`` draws a final state (``shape.STATE_MIX``), the moment each step
happened, the meetings that reviewed the case while it was open (agenda item +
review row), and computes ``deadline_at`` / ``deadline_kind`` / ``update_due_at``
with ``escalation.deadlines.compute_deadline`` and the kabupaten's default
policy. A share of the open cases (``due_share``) is placed so that its deadline
has passed or falls within the reminder window: those are what the reminder
sweep finds.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from casework.benchmark.shape import STATE_MIX
from escalation.deadlines import compute_deadline, local_date

DAY = timedelta(days=1)
STATES = [s for s, _w in STATE_MIX]
WEIGHTS = [w for _s, w in STATE_MIX]
# The shipped DeadlinePolicy defaults, which the generated policies use.
POLICY = {"raised_days": 30, "escalated_working_days": 5, "acknowledge_working_days": 3, "update_interval_days": 14}


@dataclass
class KecamatanCalendar:
    tz: ZoneInfo
    past: list[tuple[int, date, datetime]]  # (meeting id, date, moment of the review) oldest first
    next_date: date
    draft_id: int


@dataclass
class CaseStory:
    state: str
    created_at: datetime
    state_changed_at: datetime
    # (at, kind, action, from_state, to_state, actor role, meeting id)
    events: list[tuple] = field(default_factory=list)
    agenda: list[tuple] = field(default_factory=list)  # (meeting id, state then, outcome, reviewed at)
    raised_meeting: int | None = None
    needs_opd: bool = False
    due_date: date | None = None
    acknowledged_at: datetime | None = None
    last_progress_at: datetime | None = None
    deadline_at: datetime | None = None
    deadline_kind: str = ""
    update_due_at: datetime | None = None
    version: int = 1
    escalation_count: int = 0


def _between(rng: random.Random, start: datetime, end: datetime, n: int) -> list[datetime]:
    span = max((end - start).total_seconds(), 1.0)
    return sorted(start + timedelta(seconds=rng.uniform(0.05, 0.95) * span) for _ in range(n))


def _ago(rng: random.Random, now: datetime, low: float, high: float) -> datetime:
    return now - timedelta(days=rng.uniform(low, high))


def tell(rng: random.Random, *, now: datetime, cal: KecamatanCalendar, holidays: frozenset[date],
         due_share: float) -> CaseStory:
    state = rng.choices(STATES, WEIGHTS)[0]
    due = state in ("raised", "escalated", "assigned") and rng.random() < due_share / 0.46 * 0.54
    today = local_date(now, cal.tz)
    ev: list[tuple] = []
    ack = progress = None
    due_date = None
    if state == "raised":
        entered = _ago(rng, now, 27, 48) if due else _ago(rng, now, 0, 26)
        start = entered
        ev.append((start, "created", "", "", "raised", "kecamatan"))
    elif state == "withdrawn":
        entered = _ago(rng, now, 1, 330)
        start = entered - timedelta(days=rng.uniform(0, 30))
        ev += [(start, "created", "", "", "raised", "kecamatan"),
               (entered, "transition", "withdraw", "raised", "withdrawn", "kecamatan")]
    elif state == "escalated":
        entered = _ago(rng, now, 8, 25) if due else _ago(rng, now, 0, 0.5)
        start = entered - timedelta(days=rng.uniform(0, 40))
        ev += [(start, "created", "", "", "raised", "kecamatan"),
               (entered, "transition", "escalate", "raised", "escalated", "kecamatan")]
    elif state == "assigned":
        acknowledged = rng.random() < 0.9
        if acknowledged:
            due_date = today + timedelta(days=rng.randint(-20, 2) if due else rng.randint(5, 60))
            entered = min(_ago(rng, now, 1, 45),
                          datetime.combine(due_date, datetime.min.time(), tzinfo=cal.tz) - 5 * DAY)
            ack = min(entered + timedelta(days=rng.uniform(0, 3)), now - timedelta(hours=1))
            if not due:
                progress = max(ack, _ago(rng, now, 0, 10))
        else:
            entered = _ago(rng, now, 5, 20) if due else _ago(rng, now, 0, 0.5)
            due_date = local_date(entered, cal.tz) + timedelta(days=30)
        start = entered - timedelta(days=rng.uniform(1, 40))
        (t1,) = _between(rng, start, entered, 1)
        ev += [(start, "created", "", "", "raised", "kecamatan"),
               (t1, "transition", "escalate", "raised", "escalated", "kecamatan"),
               (entered, "transition", "assign", "escalated", "assigned", "pokja")]
        if ack:
            ev.append((ack, "acknowledged", "", "", "", "opd"))
        if progress:
            ev.append((progress, "progress", "", "", "", "opd"))
    else:  # resolved or closed
        if state == "resolved":
            last_review = cal.past[-1][2]
            entered = last_review + (now - last_review) * rng.uniform(0.05, 0.95)
            resolved_at, closing = entered, None
        else:
            closing = rng.choice(cal.past)
            entered = closing[2]
            resolved_at = entered - timedelta(days=rng.uniform(1, 50))
        start = resolved_at - timedelta(days=rng.uniform(1, 60))
        ev.append((start, "created", "", "", "raised", "kecamatan"))
        if rng.random() < 0.3:
            ev.append((resolved_at, "transition", "resolve_locally", "raised", "resolved", "kecamatan"))
        else:
            t1, t2, t3, t4 = _between(rng, start, resolved_at, 4)
            ev += [(t1, "transition", "escalate", "raised", "escalated", "kecamatan"),
                   (t2, "transition", "assign", "escalated", "assigned", "pokja"),
                   (t3, "acknowledged", "", "", "", "opd"), (t4, "progress", "", "", "", "opd"),
                   (resolved_at, "transition", "resolve", "assigned", "resolved", "opd")]
            ack, progress = t3, t4
            due_date = local_date(t2, cal.tz) + timedelta(days=30)
        if closing:
            ev.append((entered, "transition", "confirm", "resolved", "closed", "kecamatan"))

    story = CaseStory(state=state, created_at=start, state_changed_at=entered, due_date=due_date,
                      acknowledged_at=ack, last_progress_at=progress)
    story.needs_opd = any(e[2] == "assign" for e in ev)
    # Raised at the kecamatan meeting just before, most of the time.
    for mid, _d, review_at in reversed(cal.past):
        if review_at <= start:
            if start - review_at < 60 * DAY and rng.random() < 0.7:
                story.raised_meeting = mid
            break
    # Reviews at every meeting held while the case was open (the review rule); a closed case is confirmed at one.
    end = entered if state in ("closed", "withdrawn") else now
    events = [(*e, None) for e in ev]
    for mid, _d, review_at in cal.past:
        if not (start < review_at <= end):
            continue
        then = "raised"
        for e in ev:
            if e[0] < review_at and e[4]:
                then = e[4]
        if state == "closed" and review_at == entered:
            story.agenda.append((mid, "resolved", "confirmed", review_at))
            events = [e if e[2] != "confirm" else (*e[:6], mid) for e in events]
        else:
            story.agenda.append((mid, then, "still_open", review_at))
            events.append((review_at, "review", "", "", "", "kecamatan", mid))
    events.sort(key=lambda e: e[0])
    story.events = events
    story.version = 1 + sum(1 for e in ev if e[1] in ("transition", "acknowledged"))
    story.escalation_count = sum(1 for e in ev if e[2] == "escalate")
    if state in ("raised", "escalated", "assigned", "resolved"):
        story.deadline_at, story.deadline_kind, story.update_due_at = compute_deadline(
            state=state, tz=cal.tz, holidays=holidays, state_changed_at=entered, due_date=due_date,
            acknowledged=ack is not None, last_progress_at=progress,
            next_meeting_date=cal.next_date if state in ("raised", "resolved") else None, **POLICY)
    return story
