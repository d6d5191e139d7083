"""Helpers for the ops tests: a port nobody listens on, an isolated cache, a subprocess runner."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A local TCP port with nothing listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def local_cache(settings):
    """The health check reads the beat tick from the cache; keep that away from the shared Redis."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "ops-tests"}}
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def run_manage(*args: str, env: dict[str, str], drop: tuple[str, ...] = (), timeout: float = 120):
    """``python manage.py ARGS`` in a subprocess with ``env`` on top of ours, minus ``drop``."""
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE belongs to this test process, not to the command under test.
    child = {k: v for k, v in os.environ.items() if k not in drop and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    child.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=child, capture_output=True,
                          text=True, timeout=timeout)
