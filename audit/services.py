"""Writes to the audit trail."""

from __future__ import annotations

from .actor import Actor
from .models import AuditEvent


def audit_record(*, action: str, target: str, actor: Actor, detail: dict | None = None) -> AuditEvent:
    """Record one audited action by ``actor`` (a user, the patient or the system)."""
    return AuditEvent.objects.create(
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        target=target[:200],
        detail=detail or {},
        ip_address=actor.ip,
    )
