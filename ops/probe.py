"""The web container's health check: ``python -m ops.probe`` (slim images have no curl).

Asks the local gunicorn for ``/kesehatan/?only=database,redis`` the way the reverse proxy
would: with a host name Django accepts (the first entry of ALLOWED_HOSTS) and
``X-Forwarded-Proto: https`` (so SECURE_SSL_REDIRECT does not answer 301). Exit 0 when the
answer is 200, 1 otherwise. Standard library only: it must not import Django.
"""
from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:{port}/kesehatan/?only=database,redis"


def probe_host() -> str:
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip()
        if host and host != "*" and not host.startswith("."):
            return host
    return "localhost"


def probe(url: str, *, host: str, timeout: float = 5.0) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - a fixed local URL
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        return 0, str(exc)


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else DEFAULT_URL.format(port=os.environ.get("PORT", "8000"))
    status, body = probe(url, host=probe_host())
    print(status, body[:500])
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
