from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core.health import broker_status, database_status


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(v in ("ok", "in-process") for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@never_cache
@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers, and the trivial view the benchmarks compare pages to."""
    return HttpResponse("ok", content_type="text/plain")
