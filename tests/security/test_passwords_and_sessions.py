"""Password change in Bahasa Indonesia, password rules, logout everywhere, session expiry."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

PASSWORD = "rahasia-123"  # tests.factories.UserFactory
NEW_PASSWORD = "Tindak-Lanjut-Baru-2024"


def signed_in(username, password=PASSWORD, ip="10.0.0.1") -> Client:
    client = Client()
    response = client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=ip)
    assert response.status_code == 302, "login failed"
    return client


def change_password(client, old, new):
    return client.post("/akun/kata-sandi/", {"old_password": old, "new_password1": new, "new_password2": new})


def test_it_shows_the_password_change_page_in_bahasa_indonesia(world, client):
    assert client.get("/akun/kata-sandi/").status_code == 302  # sign in first
    client.force_login(world.kecamatan_user)
    page = client.get("/akun/kata-sandi/").content.decode()
    assert "Ganti kata sandi" in page
    assert "Kata sandi lama" in page
    assert 'href="/akun/kata-sandi/"' in client.get("/").content.decode()  # reachable from every page


def test_it_refuses_a_weak_or_wrong_password_and_keeps_the_old_one(world, client):
    client.force_login(world.kecamatan_user)
    for old, new in ((PASSWORD, "12345678"), (PASSWORD, "kec_a1kec"), (PASSWORD, "abc"), ("salah", NEW_PASSWORD)):
        response = change_password(client, old, new)
        assert response.status_code == 200
        assert "Kata sandi belum diganti" in response.content.decode()
    world.kecamatan_user.refresh_from_db()
    assert world.kecamatan_user.check_password(PASSWORD)


def test_it_lists_every_password_rule_in_settings():
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {"UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator",
                     "NumericPasswordValidator"}


def test_it_logs_out_every_other_session_when_the_password_changes(world):
    office = signed_in("kec_a1", ip="10.0.0.1")
    phone = signed_in("kec_a1", ip="10.0.0.2")
    assert office.get("/").status_code == 200 and phone.get("/").status_code == 200

    response = change_password(office, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/akun/kata-sandi/selesai/"
    assert "Kata sandi diganti" in office.get(response["Location"]).content.decode()

    assert office.get("/").status_code == 200  # the session that changed it stays signed in
    stale = phone.get("/")
    assert stale.status_code == 302 and stale["Location"].startswith("/masuk/")
    assert SESSION_KEY not in phone.session
    # and the new password is the one that works now
    assert signed_in("kec_a1", password=NEW_PASSWORD, ip="10.0.0.3").get("/").status_code == 200


def test_it_ends_the_session_when_the_browser_closes(world):
    client = signed_in("kec_a1")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert cookie["httponly"]


def test_it_ends_the_session_after_the_session_age_on_the_server(world):
    client = signed_in("kec_a1")
    session = Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    remaining = session.expire_date - timezone.now()
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < remaining <= timedelta(
        seconds=settings.SESSION_COOKIE_AGE)
    # The session's stored expiry passes (the record moves; the clock is left alone).
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_it_logs_the_user_out_everywhere_when_an_admin_sets_a_new_password(world):
    staff = Client()
    staff.force_login(world.admin_user)
    victim = signed_in("kec_a1")
    response = staff.post(f"/admin/accounts/user/{world.kecamatan_user.pk}/password/",
                          {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:1000]
    assert victim.get("/").status_code == 302
