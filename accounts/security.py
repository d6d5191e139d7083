"""Small security helpers used from the settings (django-axes hooks)."""
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client address used to count failed logins.

    Behind our reverse proxy every request comes from the proxy's address, so with
    ``TRUST_X_FORWARDED_FOR`` on we take the right-most X-Forwarded-For entry: the one the
    proxy itself appended (anything to its left was sent by the client and can be forged).
    """
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")
