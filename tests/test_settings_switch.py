"""The embedded default (SQLite WAL + filesystem broker) and the switch to PostgreSQL/Redis by URL."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import django, json; django.setup();"
    "from django.conf import settings; from django.db import connection;"
    "c = connection.cursor();"
    "mode = c.execute('PRAGMA journal_mode').fetchone()[0] if connection.vendor == 'sqlite' else None;"
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], 'vendor': connection.vendor,"
    " 'journal': mode, 'broker': settings.CELERY_BROKER_URL,"
    " 'cache': settings.CACHES['default']['BACKEND']}))"
)


def probe(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings.local", "TL_VAR_DIR": str(tmp_path)}, **env)
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_with_no_environment_it_runs_on_sqlite_in_wal_mode_and_a_serverless_broker(tmp_path):
    result = probe(tmp_path)
    assert result["vendor"] == "sqlite" and result["journal"] == "wal"
    assert result["broker"] == "filesystem://"
    assert (tmp_path / "broker" / "out").is_dir()


@pytest.mark.services
def test_database_url_and_redis_url_switch_to_postgresql_and_redis(tmp_path, postgres_db, redis_url):
    db = postgres_db
    url = f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/postgres"
    result = probe(tmp_path, DATABASE_URL=url, REDIS_URL=redis_url)
    assert result["vendor"] == "postgresql"
    assert result["broker"] == redis_url
    assert result["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", TL_VAR_DIR=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "SECRET_KEY" in proc.stderr
