"""The deadline policy page (audited, recomputes stored deadlines) and the holiday calendar."""
from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from escalation.models import DeadlinePolicy, Holiday, PolicyChange
from escalation.policy import policy_for
from escalation.services import POLICY_FIELDS, policy_values
from tests.escalation.conftest import escalated_case

pytestmark = pytest.mark.django_db


def policy_post(kabupaten, **changes):
    data = {name: getattr(policy_for(kabupaten.pk), name) for name in POLICY_FIELDS}
    data.update(changes)
    data["kabupaten"] = kabupaten.pk
    return data


def test_editing_the_policy_recomputes_open_deadlines_and_is_audited(client, world, eager_celery,
                                                                    django_capture_on_commit_callbacks):
    case = escalated_case(world)
    case.refresh_from_db()
    old_deadline = case.deadline_at
    client.force_login(world.pokja_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("escalation:policy"),
                               policy_post(world.kab_a, escalated_working_days=10, default_due_days=45))
    assert response.status_code == 302
    assert len(callbacks) == 1
    case.refresh_from_db()
    # Ten working days is two calendar weeks later than five (no holidays in this world).
    assert (case.deadline_at - old_deadline).days == 7
    change = PolicyChange.objects.get()
    assert change.changed_by == world.pokja_user and change.kabupaten == world.kab_a
    assert (change.old_values["escalated_working_days"], change.new_values["escalated_working_days"]) == (5, 10)
    assert (change.old_values["default_due_days"], change.new_values["default_due_days"]) == (30, 45)
    assert policy_for(world.kab_b.pk).escalated_working_days == 5  # the other kabupaten is untouched


def test_saving_unchanged_values_writes_no_audit_row(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.pokja_user)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("escalation:policy"), policy_post(world.kab_a))
    assert PolicyChange.objects.count() == 0 and callbacks == []


def test_invalid_values_are_refused_with_the_input_kept(client, world):
    client.force_login(world.pokja_user)
    before = policy_values(policy_for(world.kab_a.pk))
    response = client.post(reverse("escalation:policy"),
                           policy_post(world.kab_a, raised_days=0, working_hours_start=17, working_hours_end=9,
                                       default_due_days=44))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Jam kerja selesai harus setelah jam mulai." in html
    assert 'value="44"' in html  # what was typed stays
    assert policy_values(DeadlinePolicy.objects.get(kabupaten=world.kab_a)) == before
    assert PolicyChange.objects.count() == 0


def test_the_chair_of_another_kabupaten_cannot_edit_it(client, world):
    client.force_login(world.pokja_outsider)
    response = client.post(reverse("escalation:policy"), policy_post(world.kab_a, escalated_working_days=9))
    assert response.status_code == 404
    assert policy_for(world.kab_a.pk).escalated_working_days == 5
    client.force_login(world.opd_user)
    assert client.get(reverse("escalation:policy")).status_code == 403


def test_the_admin_edits_any_kabupaten(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.admin_user)
    with django_capture_on_commit_callbacks():
        client.post(reverse("escalation:policy"), policy_post(world.kab_b, acknowledge_working_days=2))
    assert policy_for(world.kab_b.pk).acknowledge_working_days == 2
    assert PolicyChange.objects.get().kabupaten == world.kab_b


def test_the_audit_trail_is_append_only(world):
    from escalation.services import policy_update

    policy_update(user=world.pokja_user, kabupaten_id=world.kab_a.pk, values={"raised_days": 20})
    change = PolicyChange.objects.get()
    with pytest.raises(PermissionDenied):
        PolicyChange.objects.update(new_values={})
    with pytest.raises(PermissionDenied):
        change.save()
    with pytest.raises(PermissionDenied):
        change.delete()


# --- holidays ------------------------------------------------------------------------------------
def test_a_local_holiday_moves_deadlines_after_commit(client, world, eager_celery, django_capture_on_commit_callbacks):
    from escalation.deadlines import local_date

    case = escalated_case(world)
    case.refresh_from_db()
    tz = case.kabupaten_tz()
    start = local_date(case.state_changed_at, tz)
    # The first working day after the escalation becomes a local holiday.
    from escalation.deadlines import add_working_days

    first = add_working_days(start, 1)
    old_deadline = case.deadline_at
    client.force_login(world.pokja_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("escalation:holiday_create"),
                               {"kabupaten": world.kab_a.pk, "date": first.isoformat(), "name": "Hari jadi kabupaten"})
    assert response.status_code == 302
    assert Holiday.objects.get(date=first).kabupaten == world.kab_a
    case.refresh_from_db()
    assert case.deadline_at > old_deadline


def test_national_holidays_are_read_only_for_the_pokja(client, world):
    national = Holiday.objects.create(date=date(2030, 8, 17), name="Hari Kemerdekaan")
    client.force_login(world.pokja_user)
    html = client.get(reverse("escalation:holidays"), {"tahun": 2030}).content.decode()
    assert "Hari Kemerdekaan" in html and "hanya baca" in html
    client.post(reverse("escalation:holiday_delete", args=[national.pk]), {"kabupaten": world.kab_a.pk})
    assert Holiday.objects.filter(pk=national.pk).exists()
    response = client.post(reverse("escalation:holiday_create"), {"kabupaten": world.kab_a.pk, "national": "on",
                                                                   "date": "2030-01-02", "name": "Libur palsu"})
    assert response.status_code == 400 and "Libur palsu" in response.content.decode()
    assert not Holiday.objects.filter(date=date(2030, 1, 2)).exists()


def test_the_admin_edits_national_holidays(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.admin_user)
    with django_capture_on_commit_callbacks():
        client.post(reverse("escalation:holiday_create"), {"kabupaten": world.kab_a.pk, "national": "on",
                                                           "date": "2030-01-02", "name": "Cuti bersama"})
    holiday = Holiday.objects.get(date=date(2030, 1, 2))
    assert holiday.kabupaten is None
    with django_capture_on_commit_callbacks():
        client.post(reverse("escalation:holiday_delete", args=[holiday.pk]), {"kabupaten": world.kab_a.pk})
    assert not Holiday.objects.filter(pk=holiday.pk).exists()


def test_the_pokja_cannot_touch_another_kabupatens_holiday(client, world):
    theirs = Holiday.objects.create(date=date(2030, 5, 5), name="Libur Sumba", kabupaten=world.kab_b)
    client.force_login(world.pokja_user)
    assert client.post(reverse("escalation:holiday_delete", args=[theirs.pk]),
                       {"kabupaten": world.kab_a.pk}).status_code == 404
    assert client.post(reverse("escalation:holiday_delete", args=[theirs.pk]),
                       {"kabupaten": world.kab_b.pk}).status_code == 404
    assert Holiday.objects.filter(pk=theirs.pk).exists()


def test_load_holidays_includes_cuti_bersama_and_is_idempotent(db):
    import holidays as holidays_lib

    call_command("load_holidays", year=2025, no_recompute=True)
    first = sorted(Holiday.objects.filter(kabupaten__isnull=True).values_list("date", "name"))
    call_command("load_holidays", year=2025, no_recompute=True)
    second = sorted(Holiday.objects.filter(kabupaten__isnull=True).values_list("date", "name"))
    assert first == second
    public_only = holidays_lib.country_holidays("ID", years=2025, categories=("public",))
    with_leave = holidays_lib.country_holidays("ID", years=2025, categories=("public", "government"))
    assert len(first) == len(with_leave) > len(public_only)
    assert date(2025, 4, 2) in {d for d, _n in first}  # Idul Fitri cuti bersama


def test_an_edit_in_the_django_admin_is_audited_too(client, world, django_capture_on_commit_callbacks):
    policy = policy_for(world.kab_a.pk)
    data = {name: getattr(policy, name) for name in POLICY_FIELDS}
    data.update(kabupaten=world.kab_a.pk, raised_days=21)
    client.force_login(world.admin_user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("admin:escalation_deadlinepolicy_change", args=[policy.pk]), data)
    assert response.status_code == 302
    assert policy_for(world.kab_a.pk).raised_days == 21
    change = PolicyChange.objects.get()
    assert (change.old_values["raised_days"], change.new_values["raised_days"], change.changed_by) == (
        30, 21, world.admin_user)
    assert len(callbacks) == 1
