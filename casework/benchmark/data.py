"""Whose data is in the database: the benchmark's own (under the BENCHMARK province), or anybody else's.

The benchmark refuses to touch a database holding any kabupaten or case that it
did not create, and it removes only rows it can trace back to its own province
or its own users.
"""
from __future__ import annotations

from django.db import connection, transaction

from accounts.models import User
from casework.benchmark import shape as S
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
    Participant,
    Plan,
    Province,
)
from escalation.models import OPD, DashboardSnapshot, DeadlinePolicy


class ForeignData(Exception):
    pass


def benchmark_province() -> Province | None:
    return Province.objects.filter(name=S.MARKER_PROVINCE).first()


def check_only_ours() -> Province | None:
    """The BENCHMARK province if present; raises ForeignData when anything else is in the database."""
    province = benchmark_province()
    other_kab = Kabupaten.objects.exclude(province=province) if province else Kabupaten.objects.all()
    other_cases = Case.objects.exclude(kabupaten__province=province) if province else Case.objects.all()
    if other_kab.exists() or other_cases.exists() or (province is None and Meeting.objects.exists()):
        raise ForeignData(
            "Basis data ini berisi data yang bukan buatan benchmark (kabupaten/kasus lain). Benchmark hanya "
            "berjalan pada basis data kosong atau berisi data benchmark sendiri; gunakan basis data tersendiri, "
            "mis. DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench")
    return province


def bench_users():
    return User.objects.filter(username__startswith="bench-", email__endswith="@bench.invalid")


def _delete(qs) -> int:
    # A plain DELETE … WHERE: the append-only guard of CaseEvent and the per-row signals are for
    # the product's data; these rows are synthetic and are removed wholesale.
    return qs._raw_delete(qs.db)


def reset_ledger(province: Province) -> None:
    """Forget what earlier runs' reminder sweeps wrote, so the sweep has the same work every run."""
    try:
        from notifications.models import Delivery, Notification
    except ImportError:
        return
    users = bench_users().values("pk")
    with transaction.atomic():
        _delete(Delivery.objects.filter(recipient__in=users))
        _delete(Notification.objects.filter(recipient__in=users))
        Case.objects.filter(kabupaten__province=province, overdue_escalated_at__isnull=False).update(
            overdue_escalated_at=None)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for model in (Delivery, Notification, Case):
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def wipe(province: Province) -> None:
    """Remove every row the benchmark created, children first."""
    reset_ledger(province)
    kab = Kabupaten.objects.filter(province=province).values("pk")
    cases = Case.objects.filter(kabupaten__in=kab)
    meetings = Meeting.objects.filter(kecamatan__kabupaten__in=kab)
    plans = Plan.objects.filter(desa__kecamatan__kabupaten__in=kab)
    with transaction.atomic():
        _delete(AgendaItem.objects.filter(case__in=cases.values("pk")))
        _delete(AgendaItem.objects.filter(meeting__in=meetings.values("pk")))
        _delete(CaseEvent.objects.filter(case__in=cases.values("pk")))
        _delete(cases)
        _delete(MeetingDesa.objects.filter(meeting__in=meetings.values("pk")))
        _delete(Participant.objects.filter(meeting__in=meetings.values("pk")))
        Meeting.objects.filter(pk__in=meetings.values("pk")).update(previous=None)
        _delete(meetings)
        _delete(Activity.funding_sources.through.objects.filter(activity__main_goal__plan__in=plans.values("pk")))
        _delete(Activity.objects.filter(main_goal__plan__in=plans.values("pk")))
        _delete(IntermediateGoal.objects.filter(main_goal__plan__in=plans.values("pk")))
        _delete(MainGoal.objects.filter(plan__in=plans.values("pk")))
        _delete(plans)
        _delete(bench_users())
        _delete(OPD.objects.filter(kabupaten__in=kab))
        _delete(DeadlinePolicy.objects.filter(kabupaten__in=kab))
        _delete(Desa.objects.filter(kecamatan__kabupaten__in=kab))
        _delete(Kecamatan.objects.filter(kabupaten__in=kab))
        _delete(Kabupaten.objects.filter(province=province))
        _delete(Province.objects.filter(pk=province.pk))
        # A cache of figures that included the benchmark's cases; the next view recomputes it.
        DashboardSnapshot.objects.all().delete()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for model in (Case, CaseEvent, AgendaItem, MeetingDesa, Meeting):
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
