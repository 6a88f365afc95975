"""Writes to the audit trail: record (chained), anonymise, clear old IPs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone

from .actor import Actor
from .chain import ANONYMISED_PREFIX, GENESIS, hash_of, target_digest
from .models import AuditChainHead, AuditEvent

CHUNK = 500


def audit_record(
    *, action: str, target: str, actor: Actor, detail: dict | None = None, anonymise: bool = False
) -> AuditEvent:
    """Record one audited action by ``actor`` (a user, the patient or the system), chained to the last.

    ``detail`` says what changed (field names, codes, counts), never free
    text a person typed about someone's health. The chain head row is locked
    for the rest of the transaction, so concurrent writers line up instead of
    forking the chain (SQLite's IMMEDIATE transactions serialise them anyway).
    With ``anonymise`` (the deletion of a submission) only the target's digest
    is kept, and a patient's IP is not.
    """
    target = target[:200]
    digest = target_digest(target)
    # What the database will give back: tuples become lists, and so on.
    detail = json.loads(json.dumps(detail or {}))
    # No savepoint of its own: an audit write that fails must fail the change it records.
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head, _created = AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        event = AuditEvent(
            at=timezone.now(),
            actor=actor.user,
            actor_label=actor.label,
            action=action,
            target=ANONYMISED_PREFIX + digest if anonymise else target,
            detail=detail,
            ip_address=None if anonymise and actor.user is None else actor.ip,
            target_digest=digest,
            prev_hash=head.last_hash or GENESIS,
        )
        event.hash = hash_of(event)
        event.save(force_insert=True)
        AuditChainHead.objects.filter(pk=1).update(last_hash=event.hash, count=F("count") + 1)
    return event


def audit_anonymise(*, targets: Iterable[str]) -> int:
    """Replace each target (a deleted submission's reference) with its digest, and drop the IPs.

    The events stay (what was done, when, by whom) and the chain still
    verifies; nothing left names the submission or where the patient was.
    """
    targets = [t for t in dict.fromkeys(targets) if t]
    changed = 0
    for start in range(0, len(targets), CHUNK):
        changed += AuditEvent.objects.filter(target__in=targets[start : start + CHUNK]).update(
            target=Concat(Value(ANONYMISED_PREFIX), F("target_digest")), ip_address=None
        )
    return changed


def audit_ips_clear(*, older_than_days: int, now=None) -> int:
    """Forget the IP address of events older than ``older_than_days`` (the stated retention)."""
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    return AuditEvent.objects.filter(at__lt=cutoff, ip_address__isnull=False).update(ip_address=None)
