"""Dashboard figures equal counts computed independently, stay in scope, link to their lists, bounded queries."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import OPEN_STATES, AgendaItem, Case, CaseEvent
from casework.services.cases import case_acknowledge, case_add_progress
from casework.services.meetings import meeting_create, meeting_prepare
from escalation.dashboard import dashboard_data
from escalation.deadlines import median
from tests.conftest import make_case, step
from tests.escalation.conftest import assigned_case, escalated_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    raised = make_case(world, desa=world.desa_a1b, obstacle="Masih di kecamatan")
    escalated = escalated_case(world, desa=world.desa_a2)
    new = assigned_case(world)
    working = assigned_case(world, opd=world.opd_a_dpmd)
    working.refresh_from_db()
    case_acknowledge(user=world.opd_outsider, case_id=working.pk, expected_version=working.version)
    case_add_progress(user=world.opd_outsider, case_id=working.pk, note="Sedang dikerjakan")
    resolved = assigned_case(world)
    step(resolved, world.opd_user, "resolve", "Selesai.")
    returned = assigned_case(world, opd=world.opd_a_dpmd)
    step(returned, world.opd_outsider, "return_case", "Bukan wewenang DPMD")
    step(returned, world.pokja_user, "assign", "", opd=world.opd_a_tani,
         due_date=timezone.localdate() + timedelta(days=10))
    other_kab = escalated_case(world, desa=world.desa_b1)
    return [raised, escalated, new, working, resolved, returned, other_kab]


def independent_medians(case_ids):
    """Per (OPD on the case, state): the median of completed stays, from the history rows, in plain Python."""
    durations = defaultdict(list)
    for case in Case.objects.filter(pk__in=case_ids, opd__isnull=False):
        rows = sorted(CaseEvent.objects.filter(case=case, kind__in=["created", "transition"]),
                      key=lambda e: (e.at, e.id))
        for entering, leaving in zip(rows, rows[1:]):
            durations[(case.opd_id, entering.to_state)].append((leaving.at - entering.at).total_seconds() / 86400)
    return {key: median(values) for key, values in durations.items()}


def test_the_numbers_equal_counts_computed_independently(world, cases):
    now = timezone.now() + timedelta(days=10)
    data = dashboard_data(world.pokja_user, kabupaten_id=world.kab_a.pk, now=now)
    mine = [c for c in Case.objects.filter(kabupaten=world.kab_a)]
    open_cases = [c for c in mine if c.state in OPEN_STATES]
    assert data["totals"]["open"] == len(open_cases)
    assert data["by_state"] == {s.value: sum(c.state == s for c in open_cases) for s in OPEN_STATES}
    assert {r["id"]: r["n"] for r in data["by_area"]} == Counter(c.kecamatan_id for c in open_cases)
    overdue = [c for c in open_cases if c.deadline_at is not None and c.deadline_at <= now]
    assert data["totals"]["overdue"] == len(overdue) > 0
    assert {r["opd_id"]: r["n"] for r in data["overdue_by_opd"]} == Counter(c.opd_id for c in overdue if c.opd_id)
    assert data["overdue_without_opd"] == Counter(c.state for c in overdue if not c.opd_id)
    assert [c.pk for c in data["oldest"]] == [c.pk for c in sorted(open_cases, key=lambda c: (c.created_at, c.pk))]
    expected = independent_medians([c.pk for c in mine])
    got = {(row.opd.pk, state): days for row in data["medians"] for state, _l, days, n in row.cells if n}
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-6)


def test_the_pokja_sees_only_its_kabupaten_and_the_admin_sees_everything(world, cases):
    pokja = dashboard_data(world.pokja_user)
    admin = dashboard_data(world.admin_user)
    assert pokja["totals"]["open"] == Case.objects.filter(kabupaten=world.kab_a, state__in=OPEN_STATES).count()
    assert admin["totals"]["open"] == Case.objects.filter(state__in=OPEN_STATES).count()
    assert admin["totals"]["open"] == pokja["totals"]["open"] + 1
    assert world.kec_b1.pk not in {r["id"] for r in pokja["by_area"]}


def test_carried_over_cases_are_counted_per_meeting(world, cases):
    meeting = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk,
                             date=timezone.localdate() + timedelta(days=3),
                             desa_ids=[world.desa_a1.pk, world.desa_a1b.pk])
    meeting_prepare(user=world.kecamatan_user, meeting_id=meeting.pk)
    data = dashboard_data(world.pokja_user)
    carried = {r["meeting_id"]: r["n"] for r in data["carried_by_meeting"]}
    assert carried[meeting.pk] == AgendaItem.objects.filter(meeting=meeting).count() > 0


def test_the_page_links_every_figure_to_its_case_list(client, world, cases):
    client.force_login(world.pokja_user)
    html = client.get(reverse("escalation:dashboard")).content.decode()
    assert "<svg" in html and "<title" in html
    assert "/kasus/?status=escalated" in html
    assert f"/kasus/?kecamatan={world.kec_a2.pk}&amp;status=open" in html
    assert f"/kasus/?opd={world.opd_a_tani.pk}" in html
    assert f"/kasus/{cases[0].pk}/" in html  # the oldest open case


def test_the_query_count_does_not_grow_with_the_cases(client, world, cases):
    client.force_login(world.pokja_user)
    client.get(reverse("escalation:dashboard"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("escalation:dashboard"))
    for _ in range(5):
        assigned_case(world, desa=world.desa_a2)
        escalated_case(world, desa=world.desa_a1b)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("escalation:dashboard"))
    assert len(large) == len(small) <= 25


def test_other_roles_may_not_open_the_dashboard(client, world):
    for user in (world.opd_user, world.kecamatan_user):
        client.force_login(user)
        assert client.get(reverse("escalation:dashboard")).status_code == 403


def test_following_a_figures_link_lists_exactly_the_cases_it_counts(client, world, cases):
    import html as htmllib
    import re

    # Two of the agency's cases ran past their deadline an hour ago.
    late = [c.pk for c in cases if c.opd_id == world.opd_a_tani.pk and c.state == "assigned"]
    Case.objects.filter(pk__in=late).update(deadline_at=timezone.now() - timedelta(hours=1))
    client.force_login(world.pokja_user)
    response = client.get(reverse("escalation:dashboard"))
    figure = {r["opd_id"]: r["n"] for r in response.context["overdue_by_opd"]}[world.opd_a_tani.pk]
    assert figure == len(late) == 2
    hrefs = [htmllib.unescape(h) for h in re.findall(r'<a href="([^"]+)" class="chart-link"', response.content.decode())]
    link = next(h for h in hrefs if f"opd={world.opd_a_tani.pk}" in h and "terlambat" in h)
    listed = client.get(link).context["page"].paginator.count
    assert listed == figure
    by_state = response.context["by_state"]
    link = next(h for h in hrefs if h.endswith("status=escalated"))
    assert client.get(link).context["page"].paginator.count == by_state["escalated"]


# --- the programme-wide snapshot ----------------------------------------------------------------
def independent_medians_by_kabupaten():
    durations = defaultdict(list)
    for case in Case.objects.all():
        rows = sorted(CaseEvent.objects.filter(case=case, kind__in=["created", "transition"]),
                      key=lambda e: (e.at, e.id))
        for entering, leaving in zip(rows, rows[1:]):
            durations[(case.kabupaten_id, entering.to_state)].append(
                (leaving.at - entering.at).total_seconds() / 86400)
    return {key: median(values) for key, values in durations.items()}


def test_the_national_snapshot_holds_the_figures_of_every_case(world, cases):
    from escalation.dashboard import compute_national

    now = timezone.now() + timedelta(days=10)
    data = compute_national(now=now)
    everything = list(Case.objects.all())
    open_cases = [c for c in everything if c.state in OPEN_STATES]
    overdue = [c for c in open_cases if c.deadline_at is not None and c.deadline_at <= now]
    assert data["totals"] == {"open": len(open_cases), "overdue": len(overdue)}
    assert data["by_state"] == {s.value: sum(c.state == s for c in open_cases) for s in OPEN_STATES}
    assert data["area"] == "kabupaten"
    assert {r["id"]: r["n"] for r in data["by_area"]} == Counter(c.kabupaten_id for c in open_cases)
    assert {r["opd_id"]: r["n"] for r in data["overdue_by_opd"]} == Counter(c.opd_id for c in overdue if c.opd_id)
    assert data["oldest_ids"] == [c.pk for c in sorted(open_cases, key=lambda c: (c.created_at, c.pk))][:10]
    expected = independent_medians_by_kabupaten()
    got = {(row["id"], state): days for row in data["medians"] for state, days, n in row["cells"] if n}
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-6)
    import json
    json.dumps(data)  # storable as it is


def test_the_admin_page_shows_the_snapshot_until_it_is_refreshed(client, world, cases):
    from django.core.management import call_command

    from escalation.dashboard import refresh_national_snapshot
    from escalation.models import DashboardSnapshot

    client.force_login(world.admin_user)
    # Without a snapshot the page computes the figures itself, and stores nothing (a GET writes nothing).
    assert client.get(reverse("escalation:dashboard")).context["totals"]["open"] > 0
    assert not DashboardSnapshot.objects.exists()
    refresh_national_snapshot()  # the beat's job
    first = client.get(reverse("escalation:dashboard"))
    open_now = Case.objects.filter(state__in=OPEN_STATES).count()
    assert first.context["totals"]["open"] == open_now
    assert first.context["national"] and first.context["computed_at"] is not None
    assert "diperbarui otomatis" in first.content.decode()
    make_case(world, obstacle="Kasus baru setelah cuplikan")
    assert client.get(reverse("escalation:dashboard")).context["totals"]["open"] == open_now
    call_command("refresh_dashboard", stdout=__import__("io").StringIO())
    assert client.get(reverse("escalation:dashboard")).context["totals"]["open"] == open_now + 1
    # One kabupaten is always live, for the admin too.
    page = client.get(reverse("escalation:dashboard"), {"kabupaten": world.kab_b.pk})
    assert page.context["computed_at"] is None and not page.context["national"]


def test_a_snapshot_older_than_the_limit_is_recomputed_when_viewed(client, world, cases):
    from escalation.dashboard import NATIONAL_KEY, SNAPSHOT_MAX_AGE, refresh_national_snapshot
    from escalation.models import DashboardSnapshot

    refresh_national_snapshot()
    make_case(world, obstacle="Kasus baru")
    DashboardSnapshot.objects.filter(key=NATIONAL_KEY).update(
        computed_at=timezone.now() - SNAPSHOT_MAX_AGE - timedelta(minutes=1))
    client.force_login(world.admin_user)
    page = client.get(reverse("escalation:dashboard"))
    assert page.context["totals"]["open"] == Case.objects.filter(state__in=OPEN_STATES).count()
    assert page.context["computed_at"] > timezone.now() - timedelta(minutes=1)


def test_the_beat_refreshes_the_snapshot_every_ten_minutes(world, cases):
    from config.celery import app
    from escalation.models import DashboardSnapshot
    from notifications.schedule import BEAT_SCHEDULE

    entry = next(e for e in BEAT_SCHEDULE.values() if e["task"] == "escalation.refresh_dashboard")
    assert entry["schedule"] == timedelta(minutes=10)
    app.loader.import_default_modules()
    app.tasks["escalation.refresh_dashboard"].apply().get()
    snap = DashboardSnapshot.objects.get()
    assert snap.data["totals"]["open"] == Case.objects.filter(state__in=OPEN_STATES).count()


def test_charts_keep_the_largest_rows_and_say_how_many_there_are(world, cases):
    from escalation.dashboard import dashboard_scope, open_summary

    now = timezone.now() + timedelta(days=30)
    summary = open_summary(dashboard_scope(world.admin_user), now=now, area="kabupaten", top=1)
    counts = Counter(c.kabupaten_id for c in Case.objects.filter(state__in=OPEN_STATES))
    assert summary["by_area_total"] == len(counts) == 2
    assert [(r["id"], r["n"]) for r in summary["by_area"]] == [counts.most_common(1)[0]]
    assert summary["totals"]["open"] == sum(counts.values())  # totals count everything, not just the top


def test_the_national_page_costs_the_same_for_few_or_many_cases(client, world, cases):
    from escalation.dashboard import refresh_national_snapshot

    client.force_login(world.admin_user)
    refresh_national_snapshot()
    client.get(reverse("escalation:dashboard"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("escalation:dashboard"))
    for _ in range(5):
        assigned_case(world, desa=world.desa_a2)
        escalated_case(world, desa=world.desa_b1)
    refresh_national_snapshot()
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("escalation:dashboard"))
    assert len(large) == len(small) <= 15


def test_the_cases_carried_most_often_are_listed_with_their_number_of_meetings(world, cases):
    from escalation.dashboard import compute_national, dashboard_scope, most_carried_cases

    for days in (3, 10):
        meeting = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk,
                                 date=timezone.localdate() + timedelta(days=days), desa_ids=[world.desa_a1.pk])
        meeting_prepare(user=world.kecamatan_user, meeting_id=meeting.pk)
    times = Counter(AgendaItem.objects.values_list("case_id", flat=True))
    expected = sorted((pk for pk, n in times.items() if n >= 2),
                      key=lambda pk: (-times[pk], Case.objects.get(pk=pk).created_at, pk))
    assert len(expected) >= 2
    got = most_carried_cases(dashboard_scope(world.pokja_user))
    assert [(c.pk, c.times) for c in got] == [(pk, times[pk]) for pk in expected][:10]
    assert compute_national()["most_carried"] == [[pk, times[pk]] for pk in expected][:10]
    # Out of scope: the other kabupaten's Pokja sees none of them.
    assert most_carried_cases(dashboard_scope(world.pokja_outsider)) == []
