from typing import Any

from django.db import models

from apps.audit.models import AuditEvent


def audit_log(
    *,
    actor: Any | None,
    action: str,
    target: models.Model,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Record an event. Call it inside the service's own transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        data=data or {},
        ip_address=ip_address,
    )
