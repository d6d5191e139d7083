"""Helpers for the notification tests: cases in given deadline situations, built through the real services."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.conftest import make_case, step

WIT = "Asia/Jayapura"
ROOT_DIR = Path(__file__).resolve().parents[2]


def local_today(world) -> date:
    from zoneinfo import ZoneInfo

    return timezone.now().astimezone(ZoneInfo(WIT)).date()


def assigned_case(world, *, due: date | None = None, acknowledged: bool = True, assigned_days_ago: int = 0,
                  opd=None, assignee=None, desa=None, obstacle: str = "", kecamatan_user=None, pokja=None,
                  officer=None):
    """A case escalated and assigned through the services; then, like the demo, moved back in time
    (assignment ``assigned_days_ago`` days ago, due date ``due``) with its stored deadline recomputed."""
    from casework.models import Case
    from casework.services.cases import case_acknowledge
    from escalation.policy import refresh_case_deadline

    today = local_today(world)
    due = due or today + timedelta(days=30)
    fields = {"obstacle": obstacle} if obstacle else {}
    case = make_case(world, desa=desa, user=kecamatan_user, **fields)
    step(case, kecamatan_user or world.kecamatan_user, "escalate", "Mohon dukungan penyuluh.")
    step(case, pokja or world.pokja_user, "assign", "Mohon dijadwalkan.", opd=opd or world.opd_a_tani,
         due_date=max(due, today), assignee=assignee)
    if acknowledged:
        case.refresh_from_db()
        case_acknowledge(user=officer or assignee or world.opd_user, case_id=case.pk, expected_version=case.version)
    if due < today or assigned_days_ago:
        past = timezone.now() - timedelta(days=assigned_days_ago)
        Case.objects.filter(pk=case.pk).update(due_date=due, state_changed_at=past,
                                               acknowledged_at=past if acknowledged else None)
        case.refresh_from_db()
        refresh_case_deadline(case)
        case.save(update_fields=["deadline_at", "deadline_kind", "update_due_at"])
    case.refresh_from_db()
    return case


@pytest.fixture
def any_hour(world):
    """No quiet hours in either kabupaten (start == end), so delivery tests never depend on the clock."""
    from escalation.models import DeadlinePolicy

    for kab in (world.kab_a, world.kab_b):
        DeadlinePolicy.objects.update_or_create(kabupaten=kab,
                                                defaults={"working_hours_start": 0, "working_hours_end": 0})
    return world


@pytest.fixture
def kec_b_user(world):
    from tests.factories import UserFactory

    return UserFactory(username="kec_b1", role="kecamatan", kecamatan=world.kec_b1)


def assigned_case_b(world, kec_b_user, **kwargs):
    """The same in kabupaten B (WITA): its kecamatan, Pokja and OPD."""
    return assigned_case(world, desa=world.desa_b1, kecamatan_user=kec_b_user, pokja=world.pokja_outsider,
                         opd=world.opd_b_tani, officer=world.opd_other_kab, **kwargs)
