"""Each main page and export costs the same number of queries whether it shows 3 rows or 60.

The pattern of every test: render with a few rows and count the queries, add
rows, then render again under ``django_assert_max_num_queries(<the first
count>)`` and check the extra rows are really on the page. A query per row
(an N+1) makes the second count larger and the test fail. No timings here:
those are in ``manage.py benchmark`` (docs/performance.md).
"""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.services.cases import case_add_comment
from casework.services.meetings import meeting_create, meeting_prepare
from tests.conftest import make_case, step

FEW, MANY = 3, 60


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _count(client, url) -> int:
    _get(client, url)  # warm up (session, caches) so both counts measure the page alone
    with CaptureQueriesContext(connection) as ctx:
        _get(client, url)
    return len(ctx)


def _cases(world, n, *, start=0):
    return [make_case(world, obstacle=f"Kendala uji nomor {start + i:03d}") for i in range(n)]


def _escalated(world, n, *, start=0):
    cases = _cases(world, n, start=start)
    for case in cases:
        step(case, world.kecamatan_user, "escalate", "Mohon dukungan kabupaten")
    return cases


def _assigned(world, n, *, start=0):
    due = timezone.localdate() + timedelta(days=20)
    cases = _escalated(world, n, start=start)
    for case in cases:
        step(case, world.pokja_user, "assign", "", opd=world.opd_a_tani.pk, due_date=due)
    return cases


def _shown(body: str, pattern: str) -> int:
    return len(set(re.findall(pattern, body)))


def test_it_lists_cases_with_the_same_queries_for_3_or_60_rows(client, world, django_assert_max_num_queries):
    _cases(world, FEW)
    client.force_login(world.pokja_user)
    url = reverse("casework:case_list") + "?status=open&urut=tenggat"
    few = _count(client, url)
    _cases(world, MANY - FEW, start=FEW)
    with django_assert_max_num_queries(few):
        body = _get(client, url)
    assert _shown(body, r"/kasus/(\d+)/") == 50  # a full first page


def test_it_shows_a_case_timeline_of_5_or_50_events_with_the_same_queries(client, world,
                                                                           django_assert_max_num_queries):
    case = make_case(world)
    for i in range(4):
        case_add_comment(user=world.kecamatan_user, case_id=case.pk, note=f"Catatan riwayat {i:02d}")
    client.force_login(world.pokja_user)
    url = reverse("casework:case_detail", args=[case.pk])
    few = _count(client, url)
    for i in range(4, 49):
        case_add_comment(user=world.pokja_user if i % 2 else world.kecamatan_user, case_id=case.pk,
                         note=f"Catatan riwayat {i:02d}")
    with django_assert_max_num_queries(few):
        body = _get(client, url)
    assert "Catatan riwayat 48" in body and "Catatan riwayat 00" in body


def _prepared_meeting(world, day_offset: int):
    meeting = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk,
                             date=timezone.localdate() + timedelta(days=day_offset),
                             desa_ids=[world.desa_a1.pk, world.desa_a1b.pk])
    return meeting_prepare(user=world.kecamatan_user, meeting_id=meeting.pk)


def test_it_shows_a_meeting_review_of_3_or_60_carried_cases_with_the_same_queries(client, world,
                                                                                  django_assert_max_num_queries):
    _cases(world, FEW)
    first = _prepared_meeting(world, 1)
    client.force_login(world.kecamatan_user)
    few = _count(client, reverse("casework:meeting_review", args=[first.pk]))
    _cases(world, MANY - FEW, start=FEW)
    second = _prepared_meeting(world, 30)
    assert second.agenda.count() == MANY
    with django_assert_max_num_queries(few):
        body = _get(client, reverse("casework:meeting_review", args=[second.pk]))
    assert "Kendala uji nomor 059" in body and "Kendala uji nomor 000" in body


def test_it_prepares_a_meeting_with_the_same_queries_for_3_or_60_carried_cases(world, django_assert_max_num_queries):
    _cases(world, FEW)
    first = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk,
                           date=timezone.localdate() + timedelta(days=1), desa_ids=[world.desa_a1.pk])
    with CaptureQueriesContext(connection) as ctx:
        meeting_prepare(user=world.kecamatan_user, meeting_id=first.pk)
    _cases(world, MANY - FEW, start=FEW)
    second = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk,
                            date=timezone.localdate() + timedelta(days=30),
                            desa_ids=[world.desa_a1.pk, world.desa_a1b.pk])
    with django_assert_max_num_queries(len(ctx)):
        meeting_prepare(user=world.kecamatan_user, meeting_id=second.pk)
    assert second.agenda.count() == MANY


def test_the_pokja_inbox_costs_the_same_for_3_or_60_escalated_cases(client, world, django_assert_max_num_queries):
    _escalated(world, FEW)
    client.force_login(world.pokja_user)
    url = reverse("escalation:inbox")
    few = _count(client, url)
    _escalated(world, MANY - FEW, start=FEW)
    with django_assert_max_num_queries(few):
        body = _get(client, url)
    assert "Kendala uji nomor 059" in body


def test_the_opd_workspace_costs_the_same_for_3_or_60_assigned_cases(client, world, django_assert_max_num_queries):
    _assigned(world, FEW)
    client.force_login(world.opd_user)
    url = reverse("escalation:workspace")
    few = _count(client, url)
    _assigned(world, MANY - FEW, start=FEW)
    with django_assert_max_num_queries(few):
        body = _get(client, url)
    assert "Kendala uji nomor 059" in body


@pytest.mark.parametrize("who", ["pokja_user", "admin_user"])
def test_the_dashboards_cost_the_same_for_3_or_60_cases(client, world, django_assert_max_num_queries, who):
    _assigned(world, FEW)
    client.force_login(getattr(world, who))
    url = reverse("escalation:dashboard")
    few = _count(client, url)
    _assigned(world, MANY - FEW, start=FEW)
    _escalated(world, 5, start=MANY)
    with django_assert_max_num_queries(few):
        body = _get(client, url)
    assert "Dinas Pertanian" in body


def test_the_notification_centre_costs_the_same_for_3_or_60_notifications(client, world,
                                                                         django_assert_max_num_queries):
    from notifications.models import Notification

    _escalated(world, FEW)  # each escalation tells the Pokja
    client.force_login(world.pokja_user)
    url = reverse("notifications:list")
    few = _count(client, url)
    _escalated(world, MANY - FEW, start=FEW)
    assert Notification.objects.filter(recipient=world.pokja_user).count() >= MANY
    with django_assert_max_num_queries(few):
        body = _get(client, url)
    assert _shown(body, r"/notifikasi/(\d+)/") >= 20


def test_the_register_export_costs_the_same_for_3_or_60_cases(world, django_assert_max_num_queries):
    from excel.services.exports import export_register

    _assigned(world, FEW)
    with CaptureQueriesContext(connection) as ctx:
        assert export_register(user=world.pokja_user, fh=io.BytesIO()) == FEW
    _assigned(world, MANY - FEW, start=FEW)
    with django_assert_max_num_queries(len(ctx)):
        assert export_register(user=world.pokja_user, fh=io.BytesIO()) == MANY


def test_the_matriks4_export_costs_the_same_for_3_or_60_cases(world, django_assert_max_num_queries):
    from casework.services.meetings import meeting_record_obstacle
    from excel.services.exports import export_matriks4

    meeting = _prepared_meeting(world, 1)

    def record(n, start):
        for i in range(n):
            meeting_record_obstacle(user=world.kecamatan_user, meeting_id=meeting.pk,
                                    desa_id=world.desa_a1.pk if i % 2 else world.desa_a1b.pk,
                                    obstacle=f"Kendala rapat {start + i:03d}")

    record(FEW, 0)
    with CaptureQueriesContext(connection) as ctx:
        export_matriks4(user=world.kecamatan_user, meeting_id=meeting.pk, fh=io.BytesIO())
    record(MANY - FEW, FEW)
    with django_assert_max_num_queries(len(ctx)):
        export_matriks4(user=world.kecamatan_user, meeting_id=meeting.pk, fh=io.BytesIO())


def test_the_matriks4_export_costs_the_same_for_2_or_14_desa_with_plans(world, django_assert_max_num_queries):
    from openpyxl import load_workbook

    from excel.services.exports import export_matriks4
    from tests.factories import ActivityFactory, DesaFactory, MainGoalFactory, PlanFactory

    def desa_with_goals(name):
        desa = DesaFactory(kecamatan=world.kec_a1, name=name)
        goal = MainGoalFactory(plan=PlanFactory(desa=desa), statement=f"Tujuan desa {name}")
        ActivityFactory(main_goal=goal)
        return desa

    def meeting_of(desa, day):
        meeting = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk,
                                 date=timezone.localdate() + timedelta(days=day), desa_ids=[d.pk for d in desa])
        return meeting_prepare(user=world.kecamatan_user, meeting_id=meeting.pk)

    small = meeting_of([desa_with_goals(f"Kecil {i}") for i in range(2)], 1)
    with CaptureQueriesContext(connection) as ctx:
        export_matriks4(user=world.kecamatan_user, meeting_id=small.pk, fh=io.BytesIO())
    many = [desa_with_goals(f"Besar {i:02d}") for i in range(14)]
    large = meeting_of(many, 30)
    fh = io.BytesIO()
    with django_assert_max_num_queries(len(ctx)):
        export_matriks4(user=world.kecamatan_user, meeting_id=large.pk, fh=fh)
    fh.seek(0)
    text = "\n".join(str(c.value) for row in load_workbook(fh).active.iter_rows() for c in row if c.value)
    assert all(f"Tujuan desa {d.name}" in text for d in many)


def test_the_kecamatan_home_costs_the_same_for_2_or_14_desa_with_plans(client, world, django_assert_max_num_queries):
    from tests.factories import DesaFactory, PlanFactory

    client.force_login(world.kecamatan_user)
    few = _count(client, reverse("home"))
    for i in range(12):
        PlanFactory(desa=DesaFactory(kecamatan=world.kec_a1, name=f"Desa tambahan {i:02d}"))
    with django_assert_max_num_queries(few):
        body = _get(client, reverse("home"))
    assert "Desa tambahan 11" in body and body.count("/rencana/") >= 13
