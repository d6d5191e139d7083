"""Only a POST with a CSRF token changes data — checked for every URL the URL conf has.

The URLs come from ``get_resolver()`` (tests/security/urlwalk.py), so a page added later is
walked too: GETting it as any role must leave every row of every data table as it was, and
POSTing to it without a CSRF token must be refused before the view runs.
"""
from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from tests.security.urlwalk import Samples, crawl, db_fingerprint, iter_routes, sample_urls

# Views allowed to skip CSRF, each with the reason. Empty: nothing may be csrf_exempt today.
CSRF_EXEMPT_ALLOWED: dict[str, str] = {}
# One user per role from the demo data; the admin reaches every page, the others their own.
WALKERS = ("admin", "kec.gorom", "opd.pertanian", "pokja.sbt")


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--quiet")
    return {name: User.objects.get(username=name) for name in WALKERS}


def _client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def _routes():
    return sorted(iter_routes(), key=lambda r: r.name)


def test_it_has_the_csrf_middleware_on():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


def test_it_exempts_no_view_from_csrf():
    exempt = {r.name for r in _routes() if getattr(r.callback, "csrf_exempt", False)}
    assert exempt <= set(CSRF_EXEMPT_ALLOWED), f"csrf_exempt views without a listed reason: {exempt}"


def test_it_allows_logout_only_by_post(world, client):
    client.force_login(world.kecamatan_user)
    assert client.get("/keluar/").status_code == 405
    assert client.get("/").status_code == 200  # still logged in
    client.post("/keluar/")
    assert client.get("/").status_code == 302  # now sent to the login page


def test_it_refuses_a_post_without_csrf_token_to_every_url(demo):
    samples = Samples.from_database()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(demo["admin"])
    client.get("/")  # the browser has the CSRF cookie, as a victim of a cross-site form would
    assert settings.CSRF_COOKIE_NAME in client.cookies
    before = db_fingerprint()
    accepted = []
    for route in _routes():
        if route.name in CSRF_EXEMPT_ALLOWED:
            continue
        for url in sample_urls(route, samples, limit=2):
            status = client.post(url, {"note": "tanpa token"}).status_code
            if status != 403:
                accepted.append(f"{route.name} {url} -> {status}")
    assert not accepted, "POST without CSRF token not refused:\n" + "\n".join(accepted)
    assert _changed(before, db_fingerprint()) == []


def test_it_changes_nothing_on_get_for_any_url_and_role(demo):
    """Every URL pattern (sample ids) and every link a user is shown: GET leaves the data as it was."""
    samples = Samples.from_database()
    clients = {name: _client_for(user) for name, user in demo.items()}  # logins done before the snapshot
    visited: list[tuple[str, str, int]] = []
    culprits: list[str] = []
    before = db_fingerprint()
    for route in _routes():
        admin_url = route.name.startswith("admin:")
        urls = sample_urls(route, samples, limit=2 if admin_url else 6)
        for url in urls:
            for name in ("admin",) if admin_url else WALKERS:
                visited.append((name, url, clients[name].get(url).status_code))
        after = db_fingerprint()  # per route, so a failure names the view that wrote
        if after != before:
            culprits.append(f"{route.name} ({', '.join(urls)}) changed {_changed(before, after)}")
            before = after
    for name, client in clients.items():
        pages = crawl(client, budget=120)
        visited.extend((name, url, status) for url, status in pages)
        after = db_fingerprint()
        if after != before:
            culprits.append(f"links shown to {name} ({len(pages)} pages) changed {_changed(before, after)}")
            before = after

    assert not culprits, "a GET changed data:\n" + "\n".join(culprits)
    server_errors = [v for v in visited if v[2] >= 500]
    assert not server_errors, f"GET answered with a server error: {server_errors[:20]}"
    # The walk really reached pages, not only redirects and 404s.
    assert sum(1 for v in visited if v[2] == 200) > 50
