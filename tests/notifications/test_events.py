"""Case events write ledger rows for the right people, in the casework transaction, never for the actor."""
from datetime import timedelta

import pytest
from django.utils import timezone

from casework.services.cases import case_add_progress, case_transition
from casework.services.errors import ValidationFailed
from notifications.models import Notification
from tests.conftest import make_case, step
from tests.factories import UserFactory
from tests.notifications.conftest import assigned_case, local_today

pytestmark = pytest.mark.django_db


def recipients(case, kind):
    return set(Notification.objects.filter(case=case, kind=kind).values_list("recipient__username", flat=True))


def test_it_tells_the_pokja_of_the_kabupaten_when_a_case_is_escalated(world):
    case = make_case(world)
    step(case, world.kecamatan_user, "escalate", "Mohon penyuluh dijadwalkan.")
    assert recipients(case, "escalated") == {"pokja_a"}  # not pokja_b of the other kabupaten
    n = Notification.objects.get(case=case, kind="escalated")
    assert n.key.startswith("event:") and n.read_at is None
    assert n.payload["note"] == "Mohon penyuluh dijadwalkan."


def test_it_tells_every_officer_of_the_opd_when_assigned_without_a_named_officer(world):
    colleague = UserFactory(username="opd_tani_a2", role="opd", opd=world.opd_a_tani)
    case = assigned_case(world, acknowledged=False)
    assert recipients(case, "assigned") == {"opd_tani_a", colleague.username}


def test_it_tells_only_the_named_officer_when_there_is_one(world):
    UserFactory(username="opd_tani_a2", role="opd", opd=world.opd_a_tani)
    case = assigned_case(world, acknowledged=False, assignee=world.opd_user)
    assert recipients(case, "assigned") == {"opd_tani_a"}


def test_it_tells_the_pokja_when_the_opd_returns_a_case(world):
    case = assigned_case(world)
    step(case, world.opd_user, "return_case", "Bukan wewenang kami; urusan DPMD.")
    assert recipients(case, "returned") == {"pokja_a"}


def test_it_tells_the_kecamatan_when_the_pokja_sends_a_case_back(world):
    case = make_case(world)
    step(case, world.kecamatan_user, "escalate", "Mohon bantuan.")
    step(case, world.pokja_user, "send_back", "Dapat diselesaikan di desa.")
    assert recipients(case, "sent_back") == {"kec_a1"}  # not kec_a2 of the other kecamatan


def test_it_tells_the_kecamatan_when_the_opd_resolves_and_posts_progress(world):
    case = assigned_case(world)
    case_add_progress(user=world.opd_user, case_id=case.pk, note="Penyuluh dijadwalkan Senin depan.")
    step(case, world.opd_user, "resolve", "Penyuluh sudah datang dan melatih kelompok tani.")
    assert recipients(case, "progress") == {"kec_a1"}
    assert recipients(case, "resolved") == {"kec_a1"}


def test_it_never_tells_the_actor_about_their_own_step(world):
    case = make_case(world)
    case_add_progress(user=world.kecamatan_user, case_id=case.pk, note="Desa sudah menghubungi dinas.")
    assert recipients(case, "progress") == set()


def test_a_refused_step_writes_no_notification(world):
    case = make_case(world)
    step(case, world.kecamatan_user, "escalate", "Mohon bantuan.")
    before = Notification.objects.count()
    case.refresh_from_db()
    with pytest.raises(ValidationFailed):
        case_transition(user=world.pokja_user, case_id=case.pk, action="assign", expected_version=case.version,
                        note="", opd=world.opd_a_tani, due_date=local_today(world) - timedelta(days=1))
    assert Notification.objects.count() == before


def test_a_night_event_waits_for_working_hours(world):
    case = make_case(world)
    step(case, world.kecamatan_user, "escalate", "Mohon bantuan.")
    n = Notification.objects.get(case=case, kind="escalated")
    local = n.send_after.astimezone(case.kabupaten_tz())
    assert n.send_after >= n.created_at
    assert local.weekday() < 5 and 8 <= local.hour < 16
    assert n.send_after - n.created_at < timedelta(days=4)
    assert n.created_at <= timezone.now()
