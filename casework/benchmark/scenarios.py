"""What the benchmark measures, each through the product's public entry points (URLs, services, tasks).

Pages go through the real URL, middleware, view and template with Django's test
client (``force_login``); writes (meeting preparation, the reminder sweep,
delivery) run inside a transaction that is rolled back after each repetition so
every repetition does the same work.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.test import Client
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from casework.benchmark import shape as S
from casework.benchmark.measure import Unavailable
from casework.benchmark.texts import SEARCH_TEXT
from casework.models import Case, Kabupaten, Kecamatan, Meeting, MeetingStatus, Province

EXPORT_CASES = 100_000


@dataclass
class World:
    """The records the measurements act on, found by the names the generator gave them."""

    n_cases: int
    admin: User
    pokja: User  # Pokja chair of a typical kabupaten
    big_pokja: User  # Pokja of the kabupaten holding a tenth of all cases
    staff: User  # kecamatan staff of the measured kecamatan (in the typical kabupaten)
    officer: User  # an OPD officer of the typical kabupaten
    kabupaten: Kabupaten
    kecamatan: Kecamatan
    long_case: Case
    draft_meeting: Meeting
    last_meeting: Meeting
    now: datetime

    @classmethod
    def find(cls) -> "World":
        province = Province.objects.get(name=S.MARKER_PROVINCE)
        typical = Kabupaten.objects.get(province=province, name=S.kabupaten_name(1))
        big = Kabupaten.objects.get(province=province, name=S.kabupaten_name(0))
        kec = Kecamatan.objects.filter(kabupaten=typical).order_by("pk").first()
        officer = (User.objects.filter(role="opd", opd__kabupaten=typical, username__startswith="bench-opd-")
                   .order_by("pk").first())
        return cls(
            n_cases=Case.objects.filter(kabupaten__province=province).count(),
            admin=User.objects.get(username=S.admin_username()),
            pokja=User.objects.get(username=S.pokja_username(typical.pk)),
            big_pokja=User.objects.get(username=S.pokja_username(big.pk)),
            staff=User.objects.get(username=S.kecamatan_username(kec.pk)),
            officer=officer, kabupaten=typical, kecamatan=kec,
            long_case=Case.objects.filter(kecamatan=kec, obstacle__startswith=S.LONG_TIMELINE_MARK).first(),
            draft_meeting=Meeting.objects.filter(kecamatan=kec, status=MeetingStatus.DRAFT).first(),
            last_meeting=Meeting.objects.filter(kecamatan=kec, status=MeetingStatus.FINALISED).order_by("-date").first(),
            now=timezone.now(),
        )


@dataclass
class Scenario:
    fn: Callable[[], object]
    rollback: bool = False
    note: str = ""
    cleanup: Callable[[], None] | None = None
    between: Callable[[], None] | None = None


def _vacuum(*tables: str) -> Callable[[], None] | None:
    """PostgreSQL: clear the dead rows a rolled-back repetition left (VACUUM cannot run in a transaction)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None

    def go():
        if connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")

    return go


LEDGER_TABLES = ("notifications_notification", "notifications_delivery", "casework_case")


def _page(user: User, url_name: str, *args, query: str = "") -> Scenario:
    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch as exc:
        raise Unavailable(f"URL {url_name} belum ada") from exc
    client = Client()
    client.force_login(user)
    full = f"{url}?{query}" if query else url

    def get():
        response = client.get(full)
        if response.status_code != 200:
            raise RuntimeError(f"GET {full} → {response.status_code}")
        return {"bytes": len(response.content)}

    return Scenario(get, note=f"{user.role} GET {full}"[:90], cleanup=client.logout)


def case_list(w: World) -> Scenario:
    return _page(w.pokja, "casework:case_list", query="status=open&urut=tenggat")


def case_list_national(w: World) -> Scenario:
    return _page(w.admin, "casework:case_list", query="status=assigned&terlambat=on")


def case_search(w: World) -> Scenario:
    from urllib.parse import quote

    desa_id = w.draft_meeting.desa_entries.order_by("position").values_list("desa_id", flat=True).first()
    return _page(w.staff, "casework:meeting_lessons", w.draft_meeting.pk, desa_id,
                 query=f"obstacle={quote(SEARCH_TEXT)}")


def case_detail(w: World) -> Scenario:
    if w.long_case is None:
        raise Unavailable("kasus dengan riwayat panjang tidak ditemukan")
    return _page(w.pokja, "casework:case_detail", w.long_case.pk)


def opd_workspace(w: World) -> Scenario:
    return _page(w.officer, "escalation:workspace")


def kecamatan_home(w: World) -> Scenario:
    return _page(w.staff, "home")


def pokja_dashboard(w: World) -> Scenario:
    return _page(w.pokja, "escalation:dashboard")


def dashboard_refresh(w: World) -> Scenario:
    """The beat's recomputation of the programme-wide dashboard (what the admin's page reads)."""
    from escalation.dashboard import refresh_national_snapshot

    def go():
        return {"duration_ms": refresh_national_snapshot(now=w.now).duration_ms}

    return Scenario(go, rollback=True, note="background job, every 10 minutes; rolled back each time")


def admin_dashboard(w: World) -> Scenario:
    from escalation.dashboard import refresh_national_snapshot

    refresh_national_snapshot()  # committed: the page reads it, as it reads the beat's snapshot in production
    return _page(w.admin, "escalation:dashboard")


def pokja_inbox(w: World) -> Scenario:
    return _page(w.pokja, "escalation:inbox")


def notification_list(w: World) -> Scenario:
    return _page(w.pokja, "notifications:list")


def meeting_prepare(w: World) -> Scenario:
    from casework.services.meetings import meeting_prepare as prepare

    meeting = w.draft_meeting

    def go():
        prepared = prepare(user=w.staff, meeting_id=meeting.pk)
        return {"carried_over": prepared.agenda.count()}

    return Scenario(go, rollback=True, note=f"meeting {meeting.pk}, rolled back each time")


def _sweep():
    try:
        from notifications.sweep import sweep_reminders
    except ImportError as exc:
        raise Unavailable("notifications.sweep belum ada") from exc
    return sweep_reminders


def reminder_sweep(w: World) -> Scenario:
    sweep = _sweep()

    def go():
        return {"created": sum(sweep(now=w.now).values())}

    return Scenario(go, rollback=True, note="rolled back each time", between=_vacuum(*LEDGER_TABLES))


def reminder_sweep_idle(w: World) -> Scenario:
    sweep = _sweep()
    created = sum(sweep(now=w.now).values())  # the real, committed sweep; what follows finds nothing new
    if (vacuum := _vacuum(*LEDGER_TABLES)) is not None:
        vacuum()

    def go():
        return {"created": sum(sweep(now=w.now).values())}

    return Scenario(go, rollback=True, note=f"after a committed sweep that created {created}")


def reminder_deliver(w: World) -> Scenario:
    try:
        from notifications.delivery import deliver_due_notifications
        from notifications.models import Notification
    except ImportError as exc:
        raise Unavailable("notifications.delivery belum ada") from exc
    if not Notification.objects.exists():
        _sweep()(now=w.now)
    latest = Notification.objects.aggregate(m=Max("send_after"))["m"] or w.now
    at = max(latest, w.now) + timedelta(seconds=1)  # everything is due, whatever the local hour now
    settings = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")

    def go():
        from django.core import mail

        with settings:
            mail.outbox = []
            report = deliver_due_notifications(now=at)
            return {"messages": report.get("messages", 0), "sent": report.get("sent", 0), "emails": len(mail.outbox)}

    return Scenario(go, rollback=True, note="locmem email, rolled back each time",
                    between=_vacuum(*LEDGER_TABLES[:2]))


def export_register(w: World) -> Scenario:
    try:
        from excel.services.exports import export_register as export
    except ImportError as exc:
        raise Unavailable("excel.services.exports belum ada") from exc
    user = w.admin if w.n_cases <= EXPORT_CASES else w.big_pokja

    def go():
        with tempfile.TemporaryFile() as fh:
            rows = export(user=user, fh=fh)
            return {"rows": rows, "bytes": fh.tell()}

    return Scenario(go, note=f"{user.role}: {'all cases' if user.role == 'admin' else 'the big kabupaten'}")


def export_matriks4(w: World) -> Scenario:
    try:
        from excel.services.exports import export_matriks4 as export
    except ImportError as exc:
        raise Unavailable("excel.services.exports belum ada") from exc

    def go():
        with tempfile.TemporaryFile() as fh:
            return {"file": export(user=w.staff, meeting_id=w.last_meeting.pk, fh=fh), "bytes": fh.tell()}

    return Scenario(go, note=f"meeting {w.last_meeting.pk}")


# In the order they run: the sweep first, so the pages see a realistic ledger (unread counts).
SCENARIOS: dict[str, Callable[[World], Scenario]] = {
    "reminder_sweep": reminder_sweep,
    "reminder_sweep_idle": reminder_sweep_idle,
    "reminder_deliver": reminder_deliver,
    "case_list": case_list,
    "case_list_national": case_list_national,
    "case_search": case_search,
    "case_detail": case_detail,
    "opd_workspace": opd_workspace,
    "kecamatan_home": kecamatan_home,
    "pokja_dashboard": pokja_dashboard,
    "dashboard_refresh": dashboard_refresh,
    "admin_dashboard": admin_dashboard,
    "pokja_inbox": pokja_inbox,
    "notification_list": notification_list,
    "meeting_prepare": meeting_prepare,
    "export_register": export_register,
    "export_matriks4": export_matriks4,
}
# Long-running measurements, repeated --heavy-repeat times.
HEAVY = {"reminder_sweep", "reminder_sweep_idle", "reminder_deliver", "export_register", "dashboard_refresh"}
