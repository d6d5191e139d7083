"""Every step of the case life cycle, taken through the case page by the role that owns it, leaves a history row."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import CaseState
from tests.conftest import make_case, step


def _due():
    return timezone.localdate() + timedelta(days=14)


def _to_escalated(world, case):
    step(case, world.kecamatan_user, "escalate", "Mohon dukungan")


def _to_assigned(world, case):
    _to_escalated(world, case)
    step(case, world.pokja_user, "assign", "", opd=world.opd_a_tani.pk, due_date=_due())


def _to_resolved(world, case):
    _to_assigned(world, case)
    step(case, world.opd_user, "resolve", "Penyuluh sudah hadir")


def _to_resolved_locally(world, case):
    step(case, world.kecamatan_user, "resolve_locally", "Diselesaikan desa", resolved_by="Pemerintah Desa X")


# (setup, who, action, extra fields, expected state)
STEPS = [
    (None, "kecamatan_user", "escalate", {}, CaseState.ESCALATED),
    (None, "kecamatan_user", "resolve_locally", {"resolved_by": "Kelompok tani"}, CaseState.RESOLVED),
    (None, "kecamatan_user", "withdraw", {}, CaseState.WITHDRAWN),
    (None, "kecamatan_user", "re_escalate", {}, CaseState.ESCALATED),
    (_to_escalated, "pokja_user", "assign", {"opd": "opd", "due_date": "due"}, CaseState.ASSIGNED),
    (_to_escalated, "pokja_user", "send_back", {}, CaseState.RAISED),
    (_to_assigned, "opd_user", "resolve", {}, CaseState.RESOLVED),
    (_to_assigned, "opd_user", "return_case", {}, CaseState.ESCALATED),
    (_to_assigned, "kecamatan_user", "re_escalate", {}, CaseState.ESCALATED),
    (_to_resolved, "kecamatan_user", "confirm", {}, CaseState.CLOSED),
    (_to_resolved, "kecamatan_user", "reopen", {}, CaseState.ASSIGNED),        # back to the OPD that held it
    (_to_resolved_locally, "kecamatan_user", "reopen", {}, CaseState.RAISED),  # back to the kecamatan
    (_to_resolved, "kecamatan_user", "re_escalate", {}, CaseState.ESCALATED),
]


@pytest.mark.parametrize("setup, who, action, extra, expected", STEPS,
                         ids=[f"{s[0].__name__ if s[0] else 'raised'}-{s[2]}" for s in STEPS])
def test_it_takes_each_step_by_the_right_role(client, world, setup, who, action, extra, expected):
    case = make_case(world)
    if setup:
        setup(world, case)
    case.refresh_from_db()
    before_state, before_events = case.state, case.events.count()
    values = {"opd": world.opd_a_tani.pk, "due": _due().isoformat()}
    data = {f"{action}-version": case.version, f"{action}-note": f"Catatan langkah {action}"}
    data.update({f"{action}-{name}": values.get(value, value) for name, value in extra.items()})
    user = getattr(world, who)
    client.force_login(user)
    response = client.post(f"/kasus/{case.pk}/aksi/{action}/", data)
    assert response.status_code == 302, response.content.decode()[-1500:]
    case.refresh_from_db()
    assert case.state == expected
    assert case.events.count() == before_events + 1
    event = case.events.order_by("-at", "-id").first()
    assert (event.actor, event.action, event.from_state, event.to_state) == (user, action, before_state, expected)
    assert event.note == f"Catatan langkah {action}"
