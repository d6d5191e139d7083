"""``manage.py create_pokja_admin``: the first accounts of an installation."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from casework.models import Kabupaten

pytestmark = pytest.mark.django_db
PASSWORD = "Ketua-Pokja-SBT-2025!"


def create(*args, **kwargs):
    out = io.StringIO()
    call_command("create_pokja_admin", *args, stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n")
    return str(path)


def test_it_creates_a_pokja_chair_bound_to_the_kabupaten_found_by_name(world, password_file):
    out = create("ketua.sbt", "--email", "ketua@sbt.go.id", "--kabupaten", "seram bagian timur",
                 "--password-file", password_file)
    user = User.objects.get(username="ketua.sbt")
    assert user.role == "pokja" and user.kabupaten == world.kab_a
    assert user.check_password(PASSWORD)  # the trailing newline of the file is not part of it
    assert not user.is_staff and not user.is_superuser  # /admin/ is not scoped to one kabupaten
    assert user.home_kabupaten_id == world.kab_a.pk
    assert "ketua.sbt" in out


def test_it_creates_a_programme_admin_with_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("POKJA_ADMIN_PASSWORD", PASSWORD)
    create("admin.program", "--email", "admin@example.org", "--role", "admin", "--no-input")
    user = User.objects.get(username="admin.program")
    assert user.role == "admin" and user.is_superuser and user.is_staff and user.is_programme_admin
    assert user.check_password(PASSWORD)


def test_it_refuses_an_existing_username_and_changes_nothing(world, password_file):
    before = User.objects.get(username="pokja_a").password
    with pytest.raises(CommandError, match="sudah ada"):
        create("pokja_a", "--email", "x@example.org", "--kabupaten", world.kab_a.name,
               "--password-file", password_file)
    assert User.objects.get(username="pokja_a").password == before


def test_an_unknown_kabupaten_is_refused_with_the_known_names(world, password_file):
    with pytest.raises(CommandError) as error:
        create("ketua.x", "--email", "x@example.org", "--kabupaten", "Atlantis", "--password-file", password_file)
    assert "Seram Bagian Timur" in str(error.value) and "--create-kabupaten" in str(error.value)
    assert not User.objects.filter(username="ketua.x").exists()


def test_on_a_bare_server_it_creates_the_kabupaten_with_its_time_zone(db, password_file):
    create("ketua.sbd", "--email", "ketua@sbd.go.id", "--kabupaten", "Sumba Barat Daya", "--create-kabupaten",
           "--province", "Nusa Tenggara Timur", "--timezone", "Asia/Makassar", "--password-file", password_file)
    kabupaten = Kabupaten.objects.get(name="Sumba Barat Daya")
    assert kabupaten.timezone == "Asia/Makassar" and kabupaten.province.name == "Nusa Tenggara Timur"
    assert User.objects.get(username="ketua.sbd").kabupaten == kabupaten


def test_a_weak_password_is_refused_and_nothing_is_created(db, tmp_path):
    weak = tmp_path / "weak"
    weak.write_text("12345678")
    with pytest.raises(CommandError, match="Kata sandi ditolak"):
        create("ketua.y", "--email", "y@example.org", "--role", "admin", "--password-file", str(weak))
    assert not User.objects.filter(username="ketua.y").exists()


def test_a_weak_password_does_not_leave_a_new_kabupaten_behind(db, tmp_path):
    weak = tmp_path / "weak"
    weak.write_text("password")
    with pytest.raises(CommandError):
        create("ketua.z", "--email", "z@example.org", "--kabupaten", "Baru", "--create-kabupaten",
               "--province", "Maluku", "--timezone", "Asia/Jayapura", "--password-file", str(weak))
    assert not Kabupaten.objects.filter(name="Baru").exists()


def test_without_a_password_source_it_refuses_instead_of_hanging(db, monkeypatch):
    monkeypatch.delenv("POKJA_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="Tidak ada kata sandi"):
        create("ketua.w", "--email", "w@example.org", "--role", "admin", "--no-input")


def test_a_pokja_chair_needs_a_kabupaten_and_an_admin_has_none(db, password_file):
    with pytest.raises(CommandError, match="--kabupaten"):
        create("ketua.v", "--email", "v@example.org", "--password-file", password_file)
    with pytest.raises(CommandError, match="tidak terikat"):
        create("ketua.v", "--email", "v@example.org", "--role", "admin", "--kabupaten", "X",
               "--password-file", password_file)
