"""Production settings: no start without a secret; `check --deploy` clean."""
from __future__ import annotations

import secrets

from tests.ops.conftest import run_manage

DROP = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    proc = run_manage("check", env={"DJANGO_SETTINGS_MODULE": "config.settings.production",
                                    "TL_VAR_DIR": str(tmp_path)}, drop=DROP)
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr and "SECRET_KEY" in proc.stderr


def test_check_deploy_has_no_warnings_with_production_settings(tmp_path):
    proc = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env={"DJANGO_SETTINGS_MODULE": "config.settings.production", "TL_VAR_DIR": str(tmp_path),
             "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "tindaklanjut.example.go.id"},
        drop=DROP,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "System check identified no issues" in proc.stdout
