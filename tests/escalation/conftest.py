"""Fixtures of the escalation tests."""
from __future__ import annotations

import pytest


@pytest.fixture
def eager_celery():
    """Run tasks in-process (the real task code, no broker) for tests that check what a task does."""
    from config.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = old


def escalated_case(world, *, desa=None, note="Mohon dukungan kabupaten.", **fields):
    """A case recorded by the kecamatan and escalated to the Pokja, through the real services."""
    from tests.conftest import make_case, step

    desa = desa or world.desa_a1
    kec_user = world.kecamatan_user if desa.kecamatan_id == world.kec_a1.pk else None
    if kec_user is None:
        from tests.factories import UserFactory

        kec_user = UserFactory(role="kecamatan", kecamatan=desa.kecamatan)
    case = make_case(world, desa=desa, user=kec_user, **fields)
    return step(case, kec_user, "escalate", note)


def assigned_case(world, *, opd=None, due_days=30, **fields):
    from datetime import timedelta

    from django.utils import timezone

    from tests.conftest import step

    case = escalated_case(world, **fields)
    pokja = world.pokja_user if case.kabupaten_id == world.kab_a.pk else world.pokja_outsider
    return step(case, pokja, "assign", "Mohon ditindaklanjuti.", opd=opd or world.opd_a_tani,
                due_date=timezone.localdate() + timedelta(days=due_days))


def snapshot(case):
    """What must not change when a step is refused: state, version and the number of history rows."""
    case.refresh_from_db()
    return case.state, case.version, case.opd_id, case.events.count()
