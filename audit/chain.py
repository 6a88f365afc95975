"""The audit trail's hash chain: how each event's hash is computed and checked.

Each event's hash is sha256 over the previous event's hash and the event's
canonical fields: when, who (id and label), what, the detail, and a keyed
digest (HMAC with SECRET_KEY) of the target. Two things are deliberately
outside the hash, because privacy rules change them after the fact:

- the target's clear text: deleting or purging a submission replaces its
  reference with ``anon:<digest>``; the digest was chained, so the chain
  still verifies, and a target still in clear is checked against its digest;
- the IP address: cleared after AUDIT_IP_RETENTION_DAYS.

Rotating SECRET_KEY keeps old digests checkable through SECRET_KEY_FALLBACKS.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

GENESIS = "0" * 64
ANONYMISED_PREFIX = "anon:"
_SALT = "audit.target"


def target_digest(target: str, *, secret: str | None = None) -> str:
    return salted_hmac(_SALT, target, secret=secret, algorithm="sha256").hexdigest()


def anonymised_target(target: str) -> str:
    """What an anonymised event keeps in place of ``target``."""
    return ANONYMISED_PREFIX + target_digest(target)


def target_matches(target: str, digest: str) -> bool:
    """Whether a target (in clear or anonymised) is the one its digest was made from."""
    if target.startswith(ANONYMISED_PREFIX):
        return constant_time_compare(target[len(ANONYMISED_PREFIX) :], digest)
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(target_digest(target, secret=secret), digest) for secret in secrets)


def canonical_detail(detail: dict) -> str:
    return json.dumps(detail, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def event_hash(
    *, prev_hash: str, at: datetime, actor_id: int | None, actor_label: str, action: str, digest: str, detail: dict
) -> str:
    fields = [
        prev_hash,
        at.astimezone(UTC).isoformat(timespec="microseconds"),
        "" if actor_id is None else str(actor_id),
        actor_label,
        action,
        digest,
        canonical_detail(detail),
    ]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def hash_of(event) -> str:
    """The hash ``event`` (an AuditEvent, or a migration's historical model) should carry."""
    return event_hash(
        prev_hash=event.prev_hash,
        at=event.at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        digest=event.target_digest,
        detail=event.detail,
    )
