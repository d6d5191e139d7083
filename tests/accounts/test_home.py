"""Every role's home page shows that role's scope, and not an outsider's."""
import pytest

from tests.conftest import make_case


@pytest.fixture
def seeded(world):
    make_case(world, obstacle="Kendala di Desa X")
    return world


def test_kecamatan_home_lists_its_own_desa_only(client, seeded):
    client.force_login(seeded.kecamatan_user)
    body = client.get("/").content.decode()
    assert "Pulau Gorom" in body and "Ondor" in body
    assert "Argam" not in body and "Wainyapu" not in body


def test_kecamatan_outsider_home_does_not_list_the_other_kecamatan(client, seeded):
    client.force_login(seeded.kecamatan_outsider)
    body = client.get("/").content.decode()
    assert "Argam" in body and "Ondor" not in body


def test_opd_home_shows_its_agency(client, seeded):
    client.force_login(seeded.opd_user)
    body = client.get("/").content.decode()
    assert "Dinas Pertanian" in body and "Seram Bagian Timur" in body and "Sumba Barat Daya" not in body


def test_pokja_home_shows_its_kabupaten_and_zone(client, seeded):
    client.force_login(seeded.pokja_user)
    body = client.get("/").content.decode()
    assert "Seram Bagian Timur" in body and "WIT" in body and "Pulau Panjang" in body
    assert "Kodi Balaghar" not in body
    client.force_login(seeded.pokja_outsider)
    body = client.get("/").content.decode()
    assert "Kodi Balaghar" in body and "Pulau Gorom" not in body and "WITA" in body


def test_admin_home_shows_every_kabupaten(client, seeded):
    client.force_login(seeded.admin_user)
    body = client.get("/").content.decode()
    assert "Seram Bagian Timur" in body and "Sumba Barat Daya" in body


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_login_works_with_a_real_password(client, world):
    response = client.post("/masuk/", {"username": "kec_a1", "password": "rahasia-123"})
    assert response.status_code == 302
    assert "Pulau Gorom" in client.get("/").content.decode()


def test_wrong_password_gets_a_message_in_bahasa_indonesia(client, world):
    response = client.post("/masuk/", {"username": "kec_a1", "password": "salah"})
    assert "kata sandi salah" in response.content.decode()


def test_dates_are_shown_in_the_kabupaten_time_zone(client, seeded):
    from django.utils import timezone

    client.force_login(seeded.pokja_user)
    client.get("/")
    # The middleware deactivates after the response; the user's zone is the kabupaten's.
    assert str(seeded.pokja_user.tzinfo) == "Asia/Jayapura"
    assert str(seeded.pokja_outsider.tzinfo) == "Asia/Makassar"
    assert timezone.get_current_timezone_name() in ("Asia/Jakarta", "UTC")


def test_the_plan_page_is_laid_out_like_matriks_1(client, world):
    client.force_login(world.kecamatan_user)
    body = client.get(f"/rencana/{world.plan_a1.pk}/").content.decode()
    for header in ("Target Capaian", "Tujuan Antara", "Kegiatan-kegiatan yang direncanakan",
                   "Keterangan Kegiatan", "Sumber Pembiayaan"):
        assert header in body
    assert "Semua warga terbebas dari hutang pada rentenir" in body
    assert "Penyerahan modal Desa di BUMDES" in body
