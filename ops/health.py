"""What "healthy" means for one installation, shared by ``/kesehatan/`` and ``manage.py health``.

Four components:

- ``database``: a ``SELECT 1`` on the default connection.
- ``redis``: a PING to ``REDIS_URL`` (broker and cache); "not configured" on the
  embedded default (SQLite + filesystem broker), which is healthy.
- ``beat``: the age of the last tick the beat heartbeat left in the cache under
  ``beat:last_tick``. The tick is written by a periodic task that beat sends and a
  worker runs, so a fresh tick proves beat, broker and a worker all move. "unknown"
  until the first tick (or when no heartbeat is scheduled); "stale" past
  ``HEALTH_BEAT_MAX_AGE`` seconds.
- ``reminders``: the age of the oldest reminder that is due and still unsent
  (``notifications.selectors.oldest_unsent_due_age``); "late" past
  ``HEALTH_REMINDER_MAX_AGE`` seconds, "unknown" where that selector does not exist.

"unknown" never makes the installation unhealthy; "error", "stale" and "late" do.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

OK = "ok"
ERROR = "error"
NOT_CONFIGURED = "not configured"
UNKNOWN = "unknown"
STALE = "stale"
LATE = "late"
FAILING = {ERROR, STALE, LATE}

COMPONENTS = ("database", "redis", "beat", "reminders")
BEAT_TICK_KEY = "beat:last_tick"
DEFAULT_BEAT_MAX_AGE = 600
DEFAULT_REMINDER_MAX_AGE = 3600


@dataclass
class Component:
    status: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def failing(self) -> bool:
        return self.status in FAILING


@dataclass
class HealthReport:
    components: dict[str, Component]
    checked_at: dt.datetime

    @property
    def healthy(self) -> bool:
        return not any(c.failing for c in self.components.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.healthy else "error",
            "checked_at": self.checked_at.isoformat(),
            "components": {name: {"status": c.status, **c.detail} for name, c in self.components.items()},
        }


def parse_only(value: str) -> tuple[str, ...]:
    """``"database,redis"`` → ("database", "redis"); empty → every component. Unknown names raise ValueError."""
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in COMPONENTS]
    if unknown:
        raise ValueError(f"unknown component(s): {', '.join(unknown)}; choose from {', '.join(COMPONENTS)}")
    return names or COMPONENTS


def check_health(*, only: tuple[str, ...] = COMPONENTS, now: dt.datetime | None = None) -> HealthReport:
    now = now or timezone.now()
    components: dict[str, Component] = {}
    database_ok = True
    if "database" in only or "reminders" in only:
        db = check_database()
        database_ok = db.status == OK
        if "database" in only:
            components["database"] = db
    if "redis" in only:
        components["redis"] = check_redis()
    if "beat" in only:
        components["beat"] = check_beat(now=now)
    if "reminders" in only:
        components["reminders"] = check_reminders(database_ok=database_ok)
    return HealthReport(components=components, checked_at=now)


# --- the checks ------------------------------------------------------------------------------

def check_database() -> Component:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is "database down"
        return Component(ERROR, {"error": type(exc).__name__})
    return Component(OK, {"vendor": connection.vendor})


def check_redis() -> Component:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return Component(NOT_CONFIGURED)
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return Component(ERROR, {"error": type(exc).__name__})
    finally:
        client.close()
    return Component(OK)


def check_beat(*, now: dt.datetime) -> Component:
    from django.core.cache import cache

    try:
        raw = cache.get(BEAT_TICK_KEY)
    except Exception as exc:  # noqa: BLE001 - the cache is Redis; its failure is reported under "redis"
        return Component(UNKNOWN, {"error": type(exc).__name__})
    return evaluate_beat_tick(raw, now=now, max_age=_setting("HEALTH_BEAT_MAX_AGE", DEFAULT_BEAT_MAX_AGE))


def check_reminders(*, database_ok: bool) -> Component:
    try:
        from notifications.selectors import oldest_unsent_due_age
    except ImportError:
        # Imported lazily: the reminder ledger lives in notifications and may not exist yet.
        return Component(UNKNOWN, {"reason": "selector not available"})
    try:
        age = oldest_unsent_due_age()
    except Exception as exc:  # noqa: BLE001
        # With the database down this is a consequence, reported there; otherwise the selector is broken.
        return Component(ERROR if database_ok else UNKNOWN, {"error": type(exc).__name__})
    return evaluate_reminder_age(age, max_age=_setting("HEALTH_REMINDER_MAX_AGE", DEFAULT_REMINDER_MAX_AGE))


# --- pure evaluation (no I/O) ----------------------------------------------------------------

def parse_tick(raw: Any) -> dt.datetime | None:
    """The heartbeat may store an aware/naive datetime, an ISO string or a Unix timestamp; naive means UTC."""
    if raw is None:
        return None
    if isinstance(raw, bytes):
        raw = raw.decode()
    if isinstance(raw, dt.datetime):
        value = raw
    elif isinstance(raw, (int, float)):
        value = dt.datetime.fromtimestamp(float(raw), tz=dt.timezone.utc)
    elif isinstance(raw, str):
        try:
            value = dt.datetime.fromtimestamp(float(raw), tz=dt.timezone.utc)
        except ValueError:
            try:
                value = dt.datetime.fromisoformat(raw)
            except ValueError:
                return None
    else:
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.timezone.utc)
    return value


def evaluate_beat_tick(raw: Any, *, now: dt.datetime, max_age: float) -> Component:
    tick = parse_tick(raw)
    if tick is None:
        return Component(UNKNOWN, {"last_tick": None, "age_seconds": None})
    age = max(0.0, (now - tick).total_seconds())
    status = OK if age <= max_age else STALE
    return Component(status, {"last_tick": tick.isoformat(), "age_seconds": round(age, 1),
                              "max_age_seconds": max_age})


def evaluate_reminder_age(age: Any, *, max_age: float) -> Component:
    """``age`` is a timedelta, a number of seconds, or None when nothing due is unsent."""
    if age is None:
        return Component(OK, {"oldest_unsent_due_age_seconds": None, "max_age_seconds": max_age})
    seconds = age.total_seconds() if isinstance(age, dt.timedelta) else float(age)
    seconds = max(0.0, seconds)
    return Component(OK if seconds <= max_age else LATE,
                     {"oldest_unsent_due_age_seconds": round(seconds, 1), "max_age_seconds": max_age})


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))
