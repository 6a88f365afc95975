"""Writes for check-ins: schedule and email them, open, answer, unsubscribe, expire, bounce.

The schedule. Week 6 falls due 42 days after the self-check, week 12 after
84 days. A check-in is emailed only to a submission that still has the
opt-in and an email, has not unsubscribed and has not been deleted; only
while its 14-day window is open (never a check-in whose link would be over
before the person could use it); and when two are due at once (the
scheduler was down for a while) only the latest. The row and its email are
made in one transaction, and the (submission, week) pair is unique, so
however often the scheduler runs, or two runs overlap, or a task is
delivered twice, each check-in is emailed at most once.

Every write is audited (no health details: the week and what happened).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from audit.actor import SYSTEM, Actor
from audit.models import AuditAction
from audit.services import audit_record
from notifications.models import Notification, NotificationKind
from triage import scoring
from triage.models import RED_FLAG_DISPOSITIONS, Submission

from . import emails
from .models import CHECKIN_WEEKS, CheckIn, CheckInStatus
from .signals import checkin_red_flag
from .tokens import LINK_MAX_AGE

logger = logging.getLogger(__name__)

# How long after falling due a check-in may still be emailed: its link's whole life.
SEND_WINDOW = LINK_MAX_AGE
BATCH_LIMIT = 1000


class CheckInClosed(Exception):
    """The check-in can no longer be answered: answered already, expired, unsubscribed or deleted."""


class _NotQueued(Exception):
    """The email could not be logged: the check-in row is rolled back with it, to be tried on the next run."""


@dataclass(frozen=True)
class SendCounts:
    due: int
    emailed: int = 0
    already: int = 0
    failed: int = 0
    expired: int = 0


def due_at(*, created_at: datetime, week: int) -> datetime:
    return created_at + timedelta(weeks=week)


def checkins_due(*, now: datetime, limit: int = BATCH_LIMIT) -> list[tuple[Submission, int]]:
    """(submission, week) pairs to email now: the latest due week of each, within its window, not yet made."""
    eligible = Submission.objects.filter(
        followup_consent=True, contact_consent=True, followup_unsubscribed_at__isnull=True
    ).exclude(contact_email="")
    due: list[tuple[Submission, int]] = []
    weeks = sorted(CHECKIN_WEEKS)
    for index, week in enumerate(weeks):
        window = Q(
            created_at__lte=now - timedelta(weeks=week), created_at__gt=now - timedelta(weeks=week) - SEND_WINDOW
        )
        for later in weeks[index + 1 :]:
            # A later check-in is due too: send only that one.
            window &= Q(created_at__gt=now - timedelta(weeks=later))
        rows = (
            eligible.filter(window)
            # One made already, for this week or a later one: nothing to do.
            .exclude(checkins__week__gte=week)
            .only("pk", "reference", "created_at", "contact_email", "followup_consent")
            .order_by("created_at", "pk")[:limit]
        )
        due += [(submission, week) for submission in rows]
    return due


def checkin_send(*, submission: Submission, week: int, actor: Actor = SYSTEM, now: datetime | None = None) -> CheckIn:
    """Make the week's check-in and queue its email, in one transaction.

    Raises IntegrityError when the check-in exists already (another run made
    it): nothing is sent twice. The email leaves once the transaction commits.
    """
    now = now or timezone.now()
    with transaction.atomic():
        checkin = CheckIn.objects.create(
            submission=submission,
            week=week,
            nonce=secrets.token_hex(16),
            status=CheckInStatus.SENT,
            created_at=now,
            sent_at=now,
            expires_at=now + LINK_MAX_AGE,
        )
        if emails.checkin_email_queue(checkin=checkin) is None:
            raise _NotQueued
        audit_record(
            action=AuditAction.ADD, target=submission.reference, actor=actor, detail={"checkin": week, "emailed": True}
        )
    return checkin


def followups_send_due(*, now: datetime | None = None, dry_run: bool = False, actor: Actor = SYSTEM) -> SendCounts:
    """The scheduler's daily run: close expired check-ins, then email those due. Safe to run any number of times."""
    now = now or timezone.now()
    due = checkins_due(now=now)
    if dry_run:
        expiring = CheckIn.objects.filter(status__in=emails.OPEN_STATUSES, expires_at__lte=now).count()
        return SendCounts(due=len(due), expired=expiring)
    expired = checkins_expire(now=now, actor=actor)
    emailed = already = failed = 0
    for submission, week in due:
        try:
            checkin_send(submission=submission, week=week, actor=actor, now=now)
            emailed += 1
        except IntegrityError:
            already += 1
        except _NotQueued:
            failed += 1
    return SendCounts(due=len(due), emailed=emailed, already=already, failed=failed, expired=expired)


def checkins_expire(*, now: datetime | None = None, actor: Actor = SYSTEM) -> int:
    """Close the check-ins whose link is past its 14 days: the link stops working for good (nonce cleared)."""
    now = now or timezone.now()
    with transaction.atomic():
        count = CheckIn.objects.filter(status__in=emails.OPEN_STATUSES, expires_at__lte=now).update(
            status=CheckInStatus.EXPIRED, nonce=""
        )
        if count:
            audit_record(action=AuditAction.CHANGE, target="checkins", actor=actor, detail={"expired": count})
    return count


def checkin_open(*, checkin: CheckIn, actor: Actor) -> None:
    """The person opened their link: recorded once (their first visit), not on every reload."""
    now = timezone.now()
    with transaction.atomic():
        if CheckIn.objects.filter(pk=checkin.pk, status=CheckInStatus.SENT).update(
            status=CheckInStatus.OPENED, opened_at=now
        ):
            checkin.status, checkin.opened_at = CheckInStatus.OPENED, now
            audit_record(
                action=AuditAction.VIEW,
                target=checkin.submission.reference,
                actor=actor,
                detail={"checkin": checkin.week, "opened": True},
            )


@dataclass(frozen=True)
class CheckInAnswers:
    pain_intensity: int
    enjoyment_interference: int
    activity_interference: int
    global_change: int
    seen_professional: str
    red_flags: tuple[str, ...] = ()


def red_flag_disposition(*, ruleset: scoring.Ruleset, red_flags: tuple[str, ...]) -> str:
    """Emergency or see a doctor today, as the questionnaire would say for these warning signs; "" for none."""
    asked = ruleset.questions_of_kind(scoring.EMERGENCY, scoring.DOCTOR_TODAY)
    answers = {q.code: q.code in red_flags for q in asked}
    disposition = scoring.score(ruleset, scoring.Answers.from_mapping(answers, None, None)).disposition
    return disposition if disposition in RED_FLAG_DISPOSITIONS else ""


def checkin_answer(
    *, checkin_id: int, nonce: str, answers: CheckInAnswers, ruleset: scoring.Ruleset, actor: Actor
) -> CheckIn:
    """Store the answers, once: the link stops working (nonce cleared). A new red flag is told to the clinic.

    Raises CheckInClosed when the check-in was answered, closed or deleted
    meanwhile (a second tab, a double submit), or the nonce does not match.
    """
    now = timezone.now()
    with transaction.atomic():
        checkin = (
            CheckIn.objects.select_for_update(of=("self",))
            .select_related("submission", "submission__clinic")
            .filter(pk=checkin_id, status__in=emails.OPEN_STATUSES, expires_at__gt=now)
            .first()
        )
        if checkin is None or not checkin.nonce or not secrets.compare_digest(checkin.nonce, nonce):
            raise CheckInClosed
        checkin.pain_intensity = answers.pain_intensity
        checkin.enjoyment_interference = answers.enjoyment_interference
        checkin.activity_interference = answers.activity_interference
        checkin.global_change = answers.global_change
        checkin.seen_professional = answers.seen_professional
        checkin.red_flags = list(answers.red_flags)
        checkin.disposition = red_flag_disposition(ruleset=ruleset, red_flags=answers.red_flags)
        checkin.status, checkin.answered_at, checkin.nonce = CheckInStatus.ANSWERED, now, ""
        checkin.opened_at = checkin.opened_at or now
        checkin.save()
        audit_record(
            action=AuditAction.CHANGE,
            target=checkin.submission.reference,
            actor=actor,
            detail={"checkin": checkin.week, "answered": True, "red_flag": bool(checkin.disposition)},
        )
        if checkin.disposition:
            emails.red_flag_checkin_notify(checkin=checkin)
            # In this transaction, not after it: the answer and what the receivers write (review
            # reopens the self-check, in a savepoint of its own) commit together, before the
            # clinic's email is handed to the worker. A receiver's failure is logged, never the patient's.
            for receiver, response in checkin_red_flag.send_robust(sender=CheckIn, checkin=checkin):
                if isinstance(response, Exception):
                    logger.error(
                        "check-in red-flag receiver %s failed: %s",
                        getattr(receiver, "__qualname__", receiver),
                        type(response).__name__,
                        extra={"event": "checkin_red_flag_receiver_failed"},
                    )
    return checkin


def followups_unsubscribe(*, checkin_id: int, actor: Actor) -> bool:
    """Stop every check-in email of the submission this check-in belongs to, at once.

    The opt-in is withdrawn (no later check-in is ever made), the check-in
    whose link was used is closed unless already answered, and an email still
    waiting in the queue is not sent (emails.checkin_email_outgoing). Returns
    False when there is nothing to unsubscribe (deleted, or done already).
    """
    now = timezone.now()
    with transaction.atomic():
        checkin = CheckIn.objects.select_related("submission").filter(pk=checkin_id).first()
        if checkin is None:
            return False
        submission = checkin.submission
        changed = Submission.objects.filter(pk=submission.pk, followup_unsubscribed_at__isnull=True).update(
            followup_consent=False, followup_unsubscribed_at=now
        )
        CheckIn.objects.filter(submission=submission, status__in=emails.OPEN_STATUSES).update(
            status=CheckInStatus.UNSUBSCRIBED, nonce=""
        )
        if changed:
            audit_record(
                action=AuditAction.CHANGE,
                target=submission.reference,
                actor=actor,
                detail={"followup_consent": False, "unsubscribed": True},
            )
    return bool(changed)


def checkin_email_failed_receiver(sender, *, notification: Notification, **kwargs) -> None:
    """Receiver of notifications.signals.notification_failed: a check-in whose email failed for good bounced."""
    if notification.kind != NotificationKind.FOLLOWUP_PATIENT:
        return
    checkin_id = int(notification.key.split(":")[1])
    with transaction.atomic():
        if CheckIn.objects.filter(pk=checkin_id, status=CheckInStatus.SENT).update(
            status=CheckInStatus.BOUNCED, nonce=""
        ):
            audit_record(action=AuditAction.CHANGE, target=notification.key, actor=SYSTEM, detail={"bounced": True})
