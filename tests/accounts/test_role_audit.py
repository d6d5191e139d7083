"""Every change of a user's role or scope is recorded (who, when, old → new), and that history —
like a case's history — cannot be edited or deleted through the app or the admin."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from accounts.models import RoleChange, User
from casework.models import CaseEvent
from tests.conftest import make_case
from tests.security.htmlform import form_data


@pytest.fixture
def admin_client(world, client):
    client.force_login(world.admin_user)
    return client


def admin_edit_user(client, user, **changes):
    """Submit the admin's change form for ``user`` as a browser would, with some fields changed."""
    url = f"/admin/accounts/user/{user.pk}/change/"
    data = form_data(client.get(url).content.decode(), form_id="user_form")
    assert "role" in data, "the admin change form has no role field"
    data.update({k: [str(v)] for k, v in changes.items()})
    return client.post(url, data)


def test_it_records_a_role_change_made_in_the_admin_with_the_admin_as_actor(world, admin_client):
    user = world.kecamatan_user
    before = RoleChange.objects.count()
    response = admin_edit_user(admin_client, user, role="pokja", kecamatan="", kabupaten=world.kab_a.pk)
    assert response.status_code == 302, response.content.decode()[:2000]

    user.refresh_from_db()
    assert (user.role, user.kecamatan_id, user.kabupaten_id) == ("pokja", None, world.kab_a.pk)
    assert RoleChange.objects.count() == before + 1
    change = RoleChange.objects.latest("id")
    assert change.user == user and change.changed_by == world.admin_user
    assert (change.old_role, change.new_role) == ("kecamatan", "pokja")
    assert change.old_scope["kecamatan"] == {"id": world.kec_a1.pk, "name": str(world.kec_a1)}
    assert change.new_scope["kecamatan"] is None
    assert change.new_scope["kabupaten"]["id"] == world.kab_a.pk
    assert change.at is not None


def test_it_records_nothing_when_the_admin_saves_other_fields(world, admin_client):
    before = RoleChange.objects.count()
    response = admin_edit_user(admin_client, world.kecamatan_user, first_name="Maria")
    assert response.status_code == 302
    world.kecamatan_user.refresh_from_db()
    assert world.kecamatan_user.first_name == "Maria"
    assert RoleChange.objects.count() == before


def test_it_records_a_new_user_created_in_the_admin(world, admin_client):
    data = form_data(admin_client.get("/admin/accounts/user/add/").content.decode(), form_id="user_form")
    data.update({"username": ["kec_baru"], "password1": ["Tindak-Lanjut-2024!"], "password2": ["Tindak-Lanjut-2024!"],
                 "role": ["kecamatan"], "kecamatan": [str(world.kec_a2.pk)]})
    response = admin_client.post("/admin/accounts/user/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = RoleChange.objects.get(user__username="kec_baru")
    assert (change.old_role, change.new_role, change.changed_by) == ("", "kecamatan", world.admin_user)
    assert change.new_scope["kecamatan"]["id"] == world.kec_a2.pk


def test_it_records_a_change_made_from_the_shell_without_an_actor(world):
    user = world.opd_user
    user.opd = world.opd_a_dpmd
    user.save()
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    first, second = RoleChange.objects.filter(user=user).order_by("id")[1:]  # [0] is the creation
    assert first.changed_by is None
    assert (first.old_scope["opd"]["id"], first.new_scope["opd"]["id"]) == (world.opd_a_tani.pk, world.opd_a_dpmd.pk)
    assert (second.old_scope["is_superuser"], second.new_scope["is_superuser"]) == (False, True)


def test_it_records_a_bulk_update_of_roles(world):
    before = RoleChange.objects.count()
    User.objects.filter(pk__in=[world.pokja_user.pk, world.pokja_outsider.pk]).update(role="admin")
    changes = RoleChange.objects.order_by("-id")[:2]
    assert RoleChange.objects.count() == before + 2
    assert {(c.user_id, c.old_role, c.new_role) for c in changes} == {
        (world.pokja_user.pk, "pokja", "admin"), (world.pokja_outsider.pk, "pokja", "admin")}


def test_it_does_not_query_or_record_for_a_login(world, client):
    before = RoleChange.objects.count()
    client.post("/masuk/", {"username": "kec_a1", "password": "rahasia-123"})  # saves last_login
    assert RoleChange.objects.count() == before


def test_it_records_roles_given_by_the_demo_command(db):
    call_command("seed_demo", "--quiet")
    admin = User.objects.get(username="admin")
    assert RoleChange.objects.filter(user=admin, new_role="admin").exists()


# --- the history cannot be edited or deleted ------------------------------------------------

def test_it_refuses_to_edit_or_delete_role_history_in_code(world):
    change = RoleChange.objects.filter(user=world.kecamatan_user).first()
    change.new_role = "admin"
    with pytest.raises(PermissionDenied):
        change.save()
    with pytest.raises(PermissionDenied):
        change.delete()
    with pytest.raises(PermissionDenied):
        RoleChange.objects.filter(pk=change.pk).update(new_role="admin")
    with pytest.raises(PermissionDenied):
        RoleChange.objects.all().delete()
    change.refresh_from_db()
    assert change.new_role == "kecamatan"


def _assert_admin_refuses_to_alter(client, model_path: str, obj, field: str, value):
    snapshot = model_snapshot(obj)
    base = f"/admin/{model_path}/"
    assert client.post(f"{base}{obj.pk}/change/", {field: value}).status_code == 403
    assert client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{base}add/", {field: value}).status_code == 403
    # the changelist's bulk "delete selected" action is not offered either
    response = client.post(f"{base}", {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert response.status_code in (200, 302, 403)
    assert model_snapshot(obj) == snapshot
    # viewing is allowed: the admin sees the history read-only, with no save or delete button
    page = client.get(f"{base}{obj.pk}/change/").content.decode()
    assert 'name="_save"' not in page and "deletelink" not in page


def model_snapshot(obj):
    return type(obj)._base_manager.filter(pk=obj.pk).values().first()


def test_it_keeps_role_history_read_only_in_the_admin(world, admin_client):
    change = RoleChange.objects.filter(user=world.kecamatan_user).first()
    _assert_admin_refuses_to_alter(admin_client, "accounts/rolechange", change, "new_role", "admin")


def test_it_keeps_case_history_read_only_in_the_admin(world, admin_client):
    case = make_case(world)
    event = CaseEvent.objects.filter(case=case).first()
    _assert_admin_refuses_to_alter(admin_client, "casework/caseevent", event, "note", "diubah")
    # and a case itself cannot be deleted there (its history would go with it)
    assert admin_client.post(f"/admin/casework/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403
    assert CaseEvent.objects.filter(case=case).count() >= 1


def test_it_shows_the_role_history_on_the_user_page_without_edit_controls(world, admin_client):
    page = admin_client.get(f"/admin/accounts/user/{world.kecamatan_user.pk}/change/").content.decode()
    assert "Riwayat perubahan peran dan wilayah" in page
    assert "role_changes-0-DELETE" not in page
