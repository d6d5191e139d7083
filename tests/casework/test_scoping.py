"""The one scoping module, for every role, against an outsider."""
import pytest
from django.http import Http404

from casework import scoping
from casework.services.meetings import meeting_create
from tests.conftest import make_case, step


@pytest.fixture
def cases(world):
    mine = make_case(world)  # kecamatan A1
    other_kec = make_case(world, desa=world.desa_a2, user=world.kecamatan_outsider)
    other_kab = make_case(world, desa=world.desa_b1, user=_kec_b(world))
    step(mine, world.kecamatan_user, "escalate", "Mohon penyuluh")
    step(mine, world.pokja_user, "assign", "", opd=world.opd_a_tani, due_date=_today_plus(10))
    return {"mine": mine, "other_kec": other_kec, "other_kab": other_kab}


def _kec_b(world):
    from tests.factories import UserFactory

    return UserFactory(role="kecamatan", kecamatan=world.kec_b1)


def _today_plus(days):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=days)


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_kecamatan_staff_see_only_their_kecamatan(world, cases):
    user = world.kecamatan_user
    assert ids(scoping.cases_for(user)) == {cases["mine"].pk}
    assert ids(scoping.desa_for(user)) == {world.desa_a1.pk, world.desa_a1b.pk}
    assert ids(scoping.kecamatan_for(user)) == {world.kec_a1.pk}
    assert ids(scoping.kabupaten_for(user)) == {world.kab_a.pk}
    assert ids(scoping.plans_for(user)) == {world.plan_a1.pk}


def test_the_outsider_kecamatan_sees_none_of_it(world, cases):
    user = world.kecamatan_outsider
    assert cases["mine"].pk not in ids(scoping.cases_for(user))
    assert world.desa_a1.pk not in ids(scoping.desa_for(user))
    assert world.plan_a1.pk not in ids(scoping.plans_for(user))
    with pytest.raises(Http404):
        scoping.get_in_scope_or_404(scoping.cases_for(user), pk=cases["mine"].pk)


def test_pokja_sees_the_whole_kabupaten_and_nothing_beyond(world, cases):
    assert ids(scoping.cases_for(world.pokja_user)) == {cases["mine"].pk, cases["other_kec"].pk}
    assert ids(scoping.cases_for(world.pokja_outsider)) == {cases["other_kab"].pk}
    assert world.desa_b1.pk not in ids(scoping.desa_for(world.pokja_user))


def test_opd_officers_see_only_their_agencys_cases(world, cases):
    assert ids(scoping.cases_for(world.opd_user)) == {cases["mine"].pk}
    assert ids(scoping.cases_for(world.opd_outsider)) == set()  # DPMD of the same kabupaten
    assert ids(scoping.cases_for(world.opd_other_kab)) == set()
    assert ids(scoping.meetings_for(world.opd_user)) == set()


def test_meetings_follow_the_kecamatan(world):
    meeting = meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk, date=_today_plus(3),
                             desa_ids=[world.desa_a1.pk])
    assert ids(scoping.meetings_for(world.kecamatan_user)) == {meeting.pk}
    assert ids(scoping.meetings_for(world.kecamatan_outsider)) == set()
    assert ids(scoping.meetings_for(world.pokja_user)) == {meeting.pk}
    assert ids(scoping.meetings_for(world.pokja_outsider)) == set()


def test_admin_sees_everything(world, cases):
    assert ids(scoping.cases_for(world.admin_user)) == {c.pk for c in cases.values()}


def test_lessons_are_shared_across_the_kabupaten_only(world, cases):
    lessons = ids(scoping.lessons_for(world.kecamatan_outsider))
    assert cases["mine"].pk in lessons and cases["other_kab"].pk not in lessons


def test_anonymous_and_scope_less_users_see_nothing(world, cases):
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import UserFactory

    assert not scoping.cases_for(AnonymousUser()).exists()
    assert not scoping.cases_for(UserFactory(role="kecamatan")).exists()
    assert not scoping.desa_for(UserFactory(role="pokja")).exists()


def test_a_guessed_id_is_a_404_not_a_403(world, cases, client):
    client.force_login(world.kecamatan_outsider)
    response = client.get(f"/rencana/{world.plan_a1.pk}/")
    assert response.status_code == 404
    client.force_login(world.kecamatan_user)
    assert client.get(f"/rencana/{world.plan_a1.pk}/").status_code == 200
