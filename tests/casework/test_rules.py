"""The pure who-may-do-what rules, without a database."""
from types import SimpleNamespace as NS

import pytest

from casework import rules

CASE = NS(kecamatan_id=1, kabupaten_id=10, opd_id=100)


def user(role, **scope):
    base = {"is_authenticated": True, "is_active": True, "is_superuser": False, "role": role,
            "kecamatan_id": None, "kabupaten_id": None, "opd_id": None}
    base.update(scope)
    return NS(**base)


KEC = user("kecamatan", kecamatan_id=1)
KEC_OTHER = user("kecamatan", kecamatan_id=2)
POKJA = user("pokja", kabupaten_id=10)
POKJA_OTHER = user("pokja", kabupaten_id=11)
OPD = user("opd", opd_id=100)
OPD_OTHER = user("opd", opd_id=101)
ADMIN = user("admin")


@pytest.mark.parametrize("action", sorted(rules.KECAMATAN_ACTIONS))
def test_kecamatan_actions_belong_to_the_cases_kecamatan(action):
    assert rules.can_act(KEC, CASE, action)
    for other in (KEC_OTHER, POKJA, OPD, POKJA_OTHER, OPD_OTHER):
        assert not rules.can_act(other, CASE, action)


@pytest.mark.parametrize("action", sorted(rules.POKJA_ACTIONS))
def test_pokja_actions_belong_to_the_cases_kabupaten(action):
    assert rules.can_act(POKJA, CASE, action)
    for other in (POKJA_OTHER, KEC, OPD):
        assert not rules.can_act(other, CASE, action)


@pytest.mark.parametrize("action", sorted(rules.OPD_ACTIONS))
def test_opd_actions_belong_to_the_assigned_opd(action):
    assert rules.can_act(OPD, CASE, action)
    for other in (OPD_OTHER, KEC, POKJA):
        assert not rules.can_act(other, CASE, action)


def test_anyone_in_scope_may_comment_but_no_outsider():
    for insider in (KEC, POKJA, OPD, ADMIN):
        assert rules.can_act(insider, CASE, "comment")
    for outsider in (KEC_OTHER, POKJA_OTHER, OPD_OTHER):
        assert not rules.can_act(outsider, CASE, "comment")


def test_unknown_actions_anonymous_and_inactive_users_get_nothing():
    assert not rules.can_act(ADMIN, CASE, "delete_everything")
    assert not rules.in_scope(NS(is_authenticated=False), CASE)
    inactive = user("kecamatan", kecamatan_id=1, is_active=False)
    assert not rules.in_scope(inactive, CASE)


def test_a_user_without_scope_sees_nothing():
    assert not rules.in_scope(user("kecamatan"), CASE)
    assert not rules.in_scope(user("opd"), NS(kecamatan_id=1, kabupaten_id=10, opd_id=None))
