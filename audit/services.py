"""Writes to the audit trail."""

from __future__ import annotations

from django.http import HttpRequest

from .models import AuditEvent


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the web server saw it (a proxy must set REMOTE_ADDR correctly)."""
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    target: str,
    request: HttpRequest | None = None,
    actor_label: str | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Record one audited action.

    With a request, the actor and IP come from it (an anonymous visitor is
    recorded as "patient"); without one (a management command) pass
    ``actor_label``, e.g. "system".
    """
    user = getattr(request, "user", None) if request is not None else None
    authenticated = bool(user is not None and user.is_authenticated)
    return AuditEvent.objects.create(
        actor=user if authenticated else None,
        actor_label=actor_label or (user.get_username() if authenticated else "patient" if request else "system"),
        action=action,
        target=target[:200],
        detail=detail or {},
        ip_address=client_ip(request) if request is not None else None,
    )
