from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address for the audit trail. Behind the proxy we deploy with, the first
    X-Forwarded-For hop is the client (axes is configured the same way)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None
