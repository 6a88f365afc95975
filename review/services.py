"""Writes of the review workflow: status, assignment, notes and outcomes.

Each takes the ``Actor`` who acted and writes the audit trail itself (who,
when, from which IP), whichever screen or script called it. A status move is
also kept as a StatusChange: the workflow timeline clinicians read on the
submission's page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actor import SYSTEM, Actor
from audit.models import AuditAction
from audit.services import audit_record
from triage.models import Condition, ReviewStatus, Submission

from .models import Note, Outcome, StatusChange
from .selectors.queue import NEEDS_ACTION_STATUSES
from .workflow import transition_check


def submission_status_change(
    *,
    submission: Submission,
    to_status: str,
    actor: Actor,
    reason: str = "",
) -> StatusChange:
    """Move a submission to ``to_status``; raises ValidationError for a move the workflow does not allow."""
    reason = reason.strip()
    with transaction.atomic():
        # Lock the row and read its status now, so two people moving the same
        # submission at once cannot both start from a status it no longer has.
        current = Submission.objects.select_for_update().values_list("status", flat=True).get(pk=submission.pk)
        transition_check(from_status=current, to_status=to_status, reason=reason)
        submission.status = to_status
        fields = ["status"]
        if to_status == ReviewStatus.NOT_APPROPRIATE:
            submission.not_appropriate_reason = reason[:300]
            fields.append("not_appropriate_reason")
        submission.save(update_fields=fields)
        change = StatusChange.objects.create(
            submission=submission, from_status=current, to_status=to_status, reason=reason[:300], changed_by=actor.user
        )
        audit_record(
            action=AuditAction.CHANGE,
            target=submission.reference,
            actor=actor,
            # Which fields changed, never the reason's words: those are health
            # information, kept (and deleted) with the submission's StatusChange.
            detail={"status": [current, to_status], "fields": fields + (["reason"] if reason else [])},
        )
    return change


def submission_reopen_for_warning_sign(*, submission: Submission, week: int) -> StatusChange | None:
    """A check-in ticked a new warning sign: put the self-check back in review, on the call list.

    The clinic is emailed as well (followups); this makes sure the person is
    not left under "contacted", "booked" or "closed" where nobody looks. The
    workflow's moves are for staff; this one is the self-check's own, so it
    is recorded with no user (the timeline says so) and audited as the system.
    Nothing changes when the self-check already needs action.
    """
    with transaction.atomic():
        current = Submission.objects.select_for_update().values_list("status", flat=True).get(pk=submission.pk)
        if current in NEEDS_ACTION_STATUSES:  # already on the call list
            return None
        Submission.objects.filter(pk=submission.pk).update(status=ReviewStatus.IN_REVIEW)
        submission.status = ReviewStatus.IN_REVIEW
        change = StatusChange.objects.create(
            submission=submission,
            from_status=current,
            to_status=ReviewStatus.IN_REVIEW,
            reason=_("Reopened: new warning signs at the %(week)s-week check-in.") % {"week": week},
            changed_by=None,
        )
        audit_record(
            action=AuditAction.CHANGE,
            target=submission.reference,
            actor=SYSTEM,
            detail={"status": [current, ReviewStatus.IN_REVIEW], "fields": ["status"], "checkin": week},
        )
    return change


def checkin_red_flag_receiver(sender, *, checkin, **kwargs) -> None:
    """followups' signal: a check-in with a new warning sign reopens its self-check."""
    submission_reopen_for_warning_sign(submission=checkin.submission, week=checkin.week)


def submission_assign(
    *,
    submission: Submission,
    assignee: AbstractBaseUser | None,
    actor: Actor,
) -> None:
    """Assign (or unassign, with None) a submission; a new one taken on moves into review."""
    with transaction.atomic():
        previous = submission.assigned_to_id
        submission.assigned_to = assignee
        submission.save(update_fields=["assigned_to"])
        audit_record(
            action=AuditAction.CHANGE,
            target=submission.reference,
            actor=actor,
            detail={"assigned_to": [previous, assignee.pk if assignee else None]},
        )
        if assignee is not None and submission.status == ReviewStatus.NEW:
            submission_status_change(submission=submission, to_status=ReviewStatus.IN_REVIEW, actor=actor)


def note_add(*, submission: Submission, text: str, actor: Actor) -> Note:
    """Append a note written by ``actor``; notes are never edited or deleted."""
    text = text.strip()
    if not text:
        raise ValidationError(_("A note cannot be empty."), code="empty_note")
    with transaction.atomic():
        note = Note.objects.create(submission=submission, author=actor.user, text=text)
        audit_record(
            action=AuditAction.CHANGE, target=submission.reference, actor=actor, detail={"note_added": note.pk}
        )
    return note


def outcome_check(*, conditions: Iterable[Condition], other: bool, none_found: bool) -> None:
    """Raise ValidationError unless the outcome says something, and nothing contradictory."""
    conditions = list(conditions)
    if none_found and (conditions or other):
        raise ValidationError(
            _("'None of these' cannot go with a listed condition or 'another condition'."), code="none_and_found"
        )
    if not (conditions or other or none_found):
        raise ValidationError(
            _("Choose the condition(s) found, 'another condition', or 'none of these'."), code="empty_outcome"
        )


def outcome_record(
    *,
    submission: Submission,
    conditions: Iterable[Condition],
    other: bool = False,
    none_found: bool = False,
    detail: str = "",
    actor: Actor,
) -> Outcome:
    """Record (or correct) what the assessment found for a submission."""
    conditions = list(conditions)
    outcome_check(conditions=conditions, other=other, none_found=none_found)
    with transaction.atomic():
        outcome = Outcome.objects.filter(submission=submission).first() or Outcome(submission=submission)
        outcome.other, outcome.none_found, outcome.detail = other, none_found, detail.strip()
        outcome.recorded_by, outcome.recorded_at = actor.user, timezone.now()
        # simple-history reads the acting user from here (no history middleware).
        outcome._history_user = actor.user
        outcome.save()
        outcome.conditions.set(conditions)
        audit_record(
            action=AuditAction.CHANGE,
            target=submission.reference,
            actor=actor,
            # That an outcome was recorded, not what was found (kept, and deleted, with the submission).
            detail={"fields": ["outcome"]},
        )
    return outcome
