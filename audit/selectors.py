"""Reads of the audit trail: checking the hash chain."""

from __future__ import annotations

from dataclasses import dataclass

from .chain import GENESIS, hash_of, target_matches
from .models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    count: int
    broken_at: int | None = None  # the first event (id) that does not verify
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def audit_chain_verify(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the trail in order and report the first event whose link, hash or target does not verify."""
    prev = GENESIS
    count = 0
    events = AuditEvent.objects.order_by("pk").only(
        "pk", "at", "actor_id", "actor_label", "action", "target", "target_digest", "detail", "prev_hash", "hash"
    )
    for event in events.iterator(chunk_size=chunk_size):
        if event.prev_hash != prev:
            return ChainReport(count, event.pk, "its link to the previous event is broken (one removed or inserted)")
        if event.hash != hash_of(event):
            return ChainReport(count, event.pk, "its content no longer matches its hash (changed)")
        if not target_matches(event.target, event.target_digest):
            return ChainReport(count, event.pk, "its target no longer matches its digest (changed)")
        prev = event.hash
        count += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.count != count or (head.last_hash or GENESIS) != prev):
        return ChainReport(count, None, f"the chain head expects {head.count} events: events removed from the end")
    return ChainReport(count)
