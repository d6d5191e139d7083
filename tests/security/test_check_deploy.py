"""``manage.py check --deploy`` is clean with the production settings (secure cookies, HSTS,
SSL redirect, a strong SECRET_KEY, DEBUG off, ...): any warning fails the test."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.conf import settings


def run_check(tmp_path, **extra_env) -> subprocess.CompletedProcess:
    # A clean environment, like a server's: nothing the test run set (e.g. DJANGO_ALLOW_ASYNC_UNSAFE,
    # which the browser tests set for Playwright and check --deploy rightly reports) leaks in.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "tindaklanjut.example.go.id",
        "TL_VAR_DIR": str(tmp_path),  # the embedded SQLite/broker folders go here, not into var/
        **extra_env,
    })
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def test_it_passes_check_deploy_with_production_settings(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_fails_check_deploy_when_a_protection_is_switched_off(tmp_path):
    # The same command notices a weakened setting, so the clean result above means something.
    result = run_check(tmp_path, SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
    assert "security.W008" in result.stdout + result.stderr
