"""The world of the access matrix: one object of every kind inside kabupaten A (kecamatan A1) and its twin in B.

Built once per test module through the real services (a case raised at a meeting,
escalated and assigned to Dinas Pertanian A; a finalised meeting whose village
copy can be shared; the next meeting with that case carried over for review; a
plan; an Excel job; a holiday; a notification for every user), so that each URL
of the app has a real object to point at on both sides of the scope line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

# The roles of the matrix, in the column order of the expected-answer strings.
ROLES = ("anon", "kec", "kec_out", "opd", "opd_out", "pokja", "pokja_out", "admin")
ROLE_USERS = {
    "kec": "kecamatan_user",  # kecamatan A1
    "kec_out": "kecamatan_outsider",  # kecamatan A2, same kabupaten
    "opd": "opd_user",  # Dinas Pertanian A, the case's OPD
    "opd_out": "opd_outsider",  # DPMD A: same kabupaten, another agency
    "pokja": "pokja_user",  # Pokja of kabupaten A
    "pokja_out": "pokja_outsider",  # Pokja of kabupaten B
    "admin": "admin_user",  # programme admin (is_staff, superuser)
}


def codes(text: str) -> dict[str, int]:
    """'302 200 404 …' (one status per role, in ROLES order) → {role: status}."""
    values = [int(v) for v in text.split()]
    assert len(values) == len(ROLES), f"need {len(ROLES)} statuses: {text!r}"
    return dict(zip(ROLES, values))


@dataclass
class Side:
    """The objects of one kabupaten: A (the inside users' scope) or B (nobody's but pokja_out's and the admin's)."""

    kabupaten: object
    kecamatan: object
    desa: object
    kec_user: object
    case: object
    meeting_done: object  # finalised, so its village copy may be shared
    meeting: object  # prepared, the case carried over for review
    plan: object
    job: object
    holiday: object
    notifications: dict = field(default_factory=dict)  # user pk -> notification
    share_key: str = ""


@dataclass
class MatrixWorld:
    world: object
    inside: Side
    outside: Side
    clients: dict[str, Client]

    def side(self, variant: str) -> Side:
        return self.inside if variant == "in" else self.outside

    def user(self, role: str):
        return getattr(self.world, ROLE_USERS[role]) if role != "anon" else None


def _build_side(world, *, kab, kec, desa, kec_user, pokja, opd, plan, day: date) -> Side:
    from casework.meeting_selectors import desa_share_key
    from casework.services.meetings import meeting_create, meeting_finalise, meeting_prepare, meeting_record_obstacle
    from escalation.models import Holiday
    from excel.services.jobs import create_register_job
    from tests.conftest import step

    first = meeting_create(user=kec_user, kecamatan_id=kec.pk, date=day, place="Kantor Camat", desa_ids=[desa.pk])
    meeting_prepare(user=kec_user, meeting_id=first.pk)
    case = meeting_record_obstacle(
        user=kec_user, meeting_id=first.pk, desa_id=desa.pk,
        obstacle="Laporan keuangan desa terlambat sehingga Dana Desa untuk modal BUMDES belum cair.",
        cause="Bendahara desa belum dilatih.", solution="Minta pendampingan DPMD.", support_needed="Pelatihan",
        support_from="kabupaten")
    first = meeting_finalise(user=kec_user, meeting_id=first.pk)
    step(case, kec_user, "escalate", "Butuh pendampingan dari kabupaten.")
    step(case, pokja, "assign", "Mohon ditindaklanjuti.", opd=opd, due_date=timezone.localdate() + timedelta(days=30))
    second = meeting_create(user=kec_user, kecamatan_id=kec.pk, date=day + timedelta(days=28), place="Kantor Camat",
                            desa_ids=[desa.pk])
    second = meeting_prepare(user=kec_user, meeting_id=second.pk)  # carries the open case over
    assert second.agenda.filter(case=case).exists()
    case.refresh_from_db()
    job = create_register_job(user=kec_user, kecamatan_id=None, inline=True)
    holiday = Holiday.objects.create(kabupaten=kab, date=day + timedelta(days=60), name="Hari jadi kabupaten")
    return Side(kabupaten=kab, kecamatan=kec, desa=desa, kec_user=kec_user, case=case, meeting_done=first,
                meeting=second, plan=plan, job=job, holiday=holiday, share_key=desa_share_key(first, desa.pk))


def build_matrix_world() -> MatrixWorld:
    from casework.scoping import cases_for
    from notifications.models import Notification
    from tests.conftest import build_world
    from tests.factories import PlanFactory, UserFactory

    world = build_world()
    kec_b = UserFactory(username="kec_b1", role="kecamatan", kecamatan=world.kec_b1)
    inside = _build_side(world, kab=world.kab_a, kec=world.kec_a1, desa=world.desa_a1, kec_user=world.kecamatan_user,
                         pokja=world.pokja_user, opd=world.opd_a_tani, plan=world.plan_a1, day=date(2024, 3, 28))
    outside = _build_side(world, kab=world.kab_b, kec=world.kec_b1, desa=world.desa_b1, kec_user=kec_b,
                          pokja=world.pokja_outsider, opd=world.opd_b_tani, plan=PlanFactory(desa=world.desa_b1),
                          day=date(2024, 3, 27))
    now = timezone.now()
    users = [getattr(world, name) for name in ROLE_USERS.values()]
    for side, people in ((inside, users), (outside, [kec_b])):
        for user in people:
            # About the case when the user may see it; a notification about a case out of sight is hidden
            # (test_it_hides_a_notification_about_a_case_out_of_scope), which is not what the matrix is about.
            visible = cases_for(user).filter(pk=side.case.pk).exists()
            side.notifications[user.pk] = Notification.objects.create(
                recipient=user, key=f"matrix:{side.kabupaten.pk}", kind="progress",
                case=side.case if visible else None, payload={"note": "Perkembangan"}, send_after=now)
    _one_row_of_every_admin_model(world, inside)
    clients = {"anon": Client(raise_request_exception=False)}
    for role, attr in ROLE_USERS.items():
        client = Client(raise_request_exception=False)
        client.force_login(getattr(world, attr))
        clients[role] = client
    return MatrixWorld(world=world, inside=inside, outside=outside, clients=clients)


def _one_row_of_every_admin_model(world, inside: Side) -> None:
    """So that each admin change/delete/history page has a real object to open."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group

    from casework.models import FundingSource
    from escalation.dashboard import refresh_national_snapshot
    from escalation.services import policy_update, rakor_record
    from notifications.models import Delivery

    now = timezone.now()
    Group.objects.create(name="Pendamping")
    FundingSource.objects.get_or_create(name="Dana Desa")
    rakor_record(user=world.pokja_user, kabupaten_id=world.kab_a.pk, day=date(2024, 4, 2), notes="Rakor triwulan")
    policy_update(user=world.pokja_user, kabupaten_id=world.kab_a.pk, values={"default_due_days": 21})
    refresh_national_snapshot()
    notification = next(iter(inside.notifications.values()))
    Delivery.objects.create(notification=notification, recipient=notification.recipient, channel="email",
                            next_attempt_at=now)
    client = {"ip_address": "10.0.0.9", "user_agent": "matrix", "username": "tamu"}
    AccessAttempt.objects.create(**client, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**client)
    AccessFailureLog.objects.create(**client, locked_out=False)


@pytest.fixture(scope="module")
def mw(django_db_setup, django_db_blocker, tmp_path_factory) -> MatrixWorld:
    """The matrix world, built once per test module inside a transaction that is rolled back at its end.

    Tests using it take ``db`` as well (their own savepoint); each request they make runs in a further
    savepoint that they roll back, so one request never sees another's writes.
    """
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("matrix-media")))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_matrix_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()


# --- The URL conf, walked -----------------------------------------------------------------------

@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or "namespace:<route>" for an unnamed pattern
    route: str  # the full route, for messages and for unnamed patterns


def all_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> list[Pattern]:
    """Every URL pattern of the project, named or not, including the admin's and everything include()d."""
    resolver = resolver or get_resolver()
    found: list[Pattern] = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = ":".join(part for part in (namespace, entry.namespace) if part)
            found.extend(all_patterns(entry, route, ns))
        elif isinstance(entry, URLPattern):
            local = entry.name or route
            found.append(Pattern(f"{namespace}:{local}" if namespace else local, route))
    return found


def fingerprint() -> dict[str, str]:
    """A digest of every row of every data table (shared with the no-GET-writes test)."""
    from tests.security.urlwalk import db_fingerprint

    return db_fingerprint()

