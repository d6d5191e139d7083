"""The health endpoint, for the load balancer, the container health check and the operator."""
from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ops.health import check_health, parse_only


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 when every checked component is healthy, 503 otherwise.

    No login: a probe has no session. The body names components and ages only,
    never hosts, credentials or exception text.
    ``?only=database,redis`` checks just those (the web container's own check,
    so a stalled beat does not mark the web process unhealthy).
    """
    try:
        only = parse_only(request.GET.get("only", ""))
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    report = check_health(only=only)
    return JsonResponse(report.as_dict(), status=200 if report.healthy else 503)
