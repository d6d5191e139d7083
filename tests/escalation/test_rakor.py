"""Rakor preparation: per OPD open, overdue and resolved since the last Rakor; recording a Rakor date."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escalation.models import Rakor
from escalation.selectors import rakor_summary
from tests.conftest import step
from tests.escalation.conftest import assigned_case

pytestmark = pytest.mark.django_db


def test_it_counts_what_each_opd_holds(world):
    held = assigned_case(world)
    assigned_case(world)
    resolved = assigned_case(world, opd=world.opd_a_dpmd)
    step(resolved, world.opd_outsider, "resolve", "Sudah ditangani")
    assigned_case(world, desa=world.desa_b1, opd=world.opd_b_tani)  # another kabupaten
    held.refresh_from_db()
    rows, since, last = rakor_summary(world.pokja_user, world.kab_a, now=held.deadline_at)
    by_opd = {r.opd.pk: (r.open, r.overdue, r.resolved_since) for r in rows}
    assert by_opd == {world.opd_a_tani.pk: (2, 2, 0), world.opd_a_dpmd.pk: (0, 0, 1)}
    assert last is None and since == timezone.localdate(held.deadline_at, held.kabupaten_tz()) - timedelta(days=90)
    rows, *_ = rakor_summary(world.pokja_user, world.kab_a, now=held.deadline_at - timedelta(microseconds=1))
    assert {r.opd.pk: r.overdue for r in rows}[world.opd_a_tani.pk] == 0


def test_resolved_counts_start_at_the_last_rakor_before_today(world):
    resolved = assigned_case(world)
    step(resolved, world.opd_user, "resolve", "Selesai")
    today = timezone.localdate(timezone.now(), resolved.kabupaten_tz())
    Rakor.objects.create(kabupaten=world.kab_a, date=today + timedelta(days=1))  # a future Rakor does not count
    Rakor.objects.create(kabupaten=world.kab_a, date=today - timedelta(days=3))
    rows, since, last = rakor_summary(world.pokja_user, world.kab_a)
    assert since == today - timedelta(days=3) and last.date == since
    assert {r.opd.pk: r.resolved_since for r in rows}[world.opd_a_tani.pk] == 1
    # A Rakor held later than the resolution (but before today) starts the count after it.
    later = timezone.now() + timedelta(days=5)
    Rakor.objects.create(kabupaten=world.kab_a, date=today + timedelta(days=2))
    rows, since, _ = rakor_summary(world.pokja_user, world.kab_a, now=later)
    assert since == today + timedelta(days=2)
    assert {r.opd.pk: r.resolved_since for r in rows}[world.opd_a_tani.pk] == 0


def test_the_pokja_records_a_rakor_date_and_prints_the_list(client, world):
    case = assigned_case(world, obstacle="Penyuluh belum datang ke desa X")
    client.force_login(world.pokja_user)
    day = timezone.localdate() - timedelta(days=2)
    response = client.post(reverse("escalation:rakor_create"), {"kabupaten": world.kab_a.pk,
                                                                 "date": day.isoformat(), "notes": "Rakor Q3"})
    assert response.status_code == 302
    assert Rakor.objects.get(kabupaten=world.kab_a).date == day
    again = client.post(reverse("escalation:rakor_create"), {"kabupaten": world.kab_a.pk, "date": day.isoformat(),
                                                              "notes": "Dua kali"})
    assert again.status_code == 400 and "Dua kali" in again.content.decode()
    html = client.get(reverse("escalation:rakor")).content.decode()
    assert f"/kasus/?opd={world.opd_a_tani.pk}&amp;status=assigned" in html
    printed = client.get(reverse("escalation:rakor_print")).content.decode()
    assert "Penyuluh belum datang ke desa X" in printed and case.number in printed


def test_the_chair_of_another_kabupaten_cannot_open_or_record(client, world):
    client.force_login(world.pokja_outsider)
    assert client.get(reverse("escalation:rakor"), {"kabupaten": world.kab_a.pk}).status_code == 404
    assert client.post(reverse("escalation:rakor_create"), {"kabupaten": world.kab_a.pk,
                                                             "date": "2030-01-01"}).status_code == 404
    assert not Rakor.objects.exists()
