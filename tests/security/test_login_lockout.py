"""Login throttling: after 5 wrong passwords for one username from one address, that pair is
locked out for 30 minutes — even with the right password — with a page in Bahasa Indonesia."""
from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db.models import F

PASSWORD = "rahasia-123"  # tests.factories.UserFactory


def attempt(client, username, password, ip="10.1.1.1"):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail_until_locked(client, username, ip="10.1.1.1"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, username, "salah", ip)


def test_it_is_configured_as_promised():
    from config.settings import base

    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert base.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert base.AXES_FAILURE_LIMIT == 5
    assert base.AXES_COOLOFF_TIME == timedelta(minutes=30)
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_it_shows_the_form_again_with_a_message_below_the_limit(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "kec_a1", "salah")
        assert response.status_code == 200
        assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    # the right password still works before the limit, and resets the count
    response = attempt(client, "kec_a1", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.kecamatan_user.pk)
    assert not AccessAttempt.objects.filter(username="kec_a1").exists()


def test_it_locks_out_after_five_failures_even_with_the_right_password(world, client):
    fail_until_locked(client, "kec_a1")
    response = attempt(client, "kec_a1", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Akun dikunci sementara" in page
    assert "30 menit" in page
    assert SESSION_KEY not in client.session
    assert client.get("/").status_code == 302  # not signed in


def test_it_locks_the_username_and_address_pair_only(world, client):
    fail_until_locked(client, "kec_a1", ip="10.1.1.1")
    # the same person from another office can still sign in ...
    assert attempt(client, "kec_a1", PASSWORD, ip="10.2.2.2").status_code == 302
    client.post("/keluar/")
    # ... and a colleague behind the same address too
    assert attempt(client, "kec_a2", PASSWORD, ip="10.1.1.1").status_code == 302


def test_it_unlocks_after_the_cool_off(world, client):
    fail_until_locked(client, "kec_a1")
    assert attempt(client, "kec_a1", PASSWORD).status_code == 429
    # The failures are now older than the cool-off (the clock is left alone; the records move).
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert attempt(client, "kec_a1", PASSWORD).status_code == 302


def test_it_locks_the_admin_login_too(world, client):
    world.admin_user.is_staff = True
    world.admin_user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": world.admin_user.username, "password": "salah"},
                    REMOTE_ADDR="10.3.3.3")
    response = client.post("/admin/login/", {"username": world.admin_user.username, "password": PASSWORD},
                           REMOTE_ADDR="10.3.3.3")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("trusted,expected", [(True, "203.0.113.7"), (False, "172.18.0.5")])
def test_it_counts_the_client_address_the_proxy_reports_only_when_told_to(rf, settings, trusted, expected):
    from accounts.security import client_ip

    settings.TRUST_X_FORWARDED_FOR = trusted
    request = rf.get("/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_ip(request) == expected


def test_it_keeps_the_test_client_shortcuts_working(world, client):
    assert client.login(username="kec_a1", password=PASSWORD)
    assert client.get("/").status_code == 200
    client.logout()
    client.force_login(world.pokja_user)
    assert client.get("/").status_code == 200
