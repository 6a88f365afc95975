"""Writes to the clinical content (the draft): each one audited; what history names is retired, never deleted.

A condition or question that a published ruleset version, a suggestion or an
outcome names must stay resolvable: past results, the accuracy report and
the FHIR export read it. Deleting it is refused (with the reasons, as
counts: the editor needs no submission's reference) and it is retired
instead: left out of new drafts, kept for history.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from audit.actor import Actor
from audit.models import AuditAction
from audit.services import audit_record

from .models import Condition, Question, RulesetVersion

# Relations that are part of the draft itself: they go with the row.
DRAFT_ONLY_RELATIONS = {"triage.conditionweight", "review.staffclinicaccess"}


class ContentInUse(Exception):
    """The row is named by published versions or by patients' records: retire it instead."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def content_target(obj: models.Model) -> str:
    return f"{obj._meta.model_name} {obj.pk}"


def content_references(*, obj: models.Model) -> list[str]:
    """Why ``obj`` cannot be deleted, in counts: the published versions and the records that name it."""
    reasons = []
    key = {Condition: ("conditions", "slug"), Question: ("questions", "code")}.get(type(obj))
    if key is not None:
        part, field = key
        value = getattr(obj, field)
        versions = [
            number
            for number, content in RulesetVersion.objects.values_list("number", "content")
            if any(item.get(field) == value for item in content.get(part, []))
        ]
        if versions:
            reasons.append("published in ruleset " + ", ".join(f"v{n}" for n in sorted(versions)))
    for rel in obj._meta.related_objects:
        if rel.related_model._meta.label_lower in DRAFT_ONLY_RELATIONS:
            continue
        if rel.many_to_many:
            through = rel.field.remote_field.through
            count = through.objects.filter(**{rel.field.m2m_reverse_field_name(): obj.pk}).count()
        else:
            count = rel.related_model._base_manager.filter(**{rel.field.name: obj.pk}).count()
        if count:
            reasons.append(f"{count} {rel.related_model._meta.verbose_name_plural}")
    return reasons


def content_save(*, obj: models.Model, changed_fields: Iterable[str], adding: bool, actor: Actor) -> None:
    """Save an edit to the draft, audited with the names of the fields changed."""
    with transaction.atomic():
        obj.save()
        audit_record(
            action=AuditAction.ADD if adding else AuditAction.CHANGE,
            target=content_target(obj),
            actor=actor,
            detail={"fields": sorted(changed_fields)},
        )


def content_weights_changed(*, condition: Condition, changes: dict[str, list[str]], actor: Actor) -> None:
    """Audit the weights added, changed and removed on a condition (question codes by kind of change)."""
    if any(changes.values()):
        audit_record(
            action=AuditAction.CHANGE,
            target=content_target(condition),
            actor=actor,
            detail={"weights": {kind: sorted(codes) for kind, codes in changes.items() if codes}},
        )


def content_delete(*, obj: models.Model, actor: Actor) -> None:
    """Delete a draft-only row (audited); raises ContentInUse when anything else names it."""
    reasons = content_references(obj=obj)
    if reasons:
        raise ContentInUse(reasons)
    target = content_target(obj)
    with transaction.atomic():
        obj.delete()
        audit_record(action=AuditAction.DELETE, target=target, actor=actor)


def content_retire(*, obj: Condition | Question, actor: Actor) -> bool:
    """Leave a condition or question out of new drafts, keeping it for history. False if it already was."""
    if obj.retired_at is not None:
        return False
    with transaction.atomic():
        obj.retired_at = timezone.now()
        obj.save(update_fields=["retired_at"])
        audit_record(action=AuditAction.RETIRE, target=content_target(obj), actor=actor)
    return True
