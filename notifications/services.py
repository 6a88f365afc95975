"""Writes for the notification log: queue an email once per event, then send it from a task.

Delivery is at most once per event: the row is created under a unique key
(a repeated request or a re-run receiver finds it), and a task must claim it
(queued -> sending) before it sends, so a redelivered or duplicated task
sends nothing. Nothing here raises into the web request that caused it.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from triage.models import Submission

from .models import Notification, NotificationKind, NotificationStatus
from .signals import notification_failed

logger = logging.getLogger(__name__)

NO_ADDRESS = "No address to send to: set the clinic's notification address or CLINIC_NOTIFY_EMAIL."
WITHDRAWN = "Not sent: no longer wanted by the time it was due to go (unsubscribed, answered or deleted)."


@dataclass(frozen=True)
class Outgoing:
    """The message as it leaves: its body and any extra headers (List-Unsubscribe, say)."""

    body: str
    headers: dict[str, str] = field(default_factory=dict)


# Kind -> a function that turns the logged row into the message sent, or None
# when it should no longer go. Registered by the apps above (which this one
# may not import) for emails whose log copy must not hold what is sent: a
# check-in's one-time link is put in only here, at sending time.
Finisher = Callable[[Notification], "Outgoing | None"]
_FINISHERS: dict[str, Finisher] = {}


def notification_finisher_register(*, kind: str, finisher: Finisher) -> None:
    """Have ``finisher`` make the outgoing message of every email of ``kind`` from its logged row."""
    _FINISHERS[kind] = finisher


def _outgoing(notification: Notification) -> Outgoing | None:
    finisher = _FINISHERS.get(notification.kind)
    return finisher(notification) if finisher is not None else Outgoing(body=notification.body)


def notification_queue(
    *,
    key: str,
    kind: NotificationKind,
    recipient: str,
    subject: str,
    body_template: str,
    context: dict[str, Any],
    submission: Submission | None = None,
) -> Notification | None:
    """Record the email under ``key`` and send it from a task once the current transaction commits.

    Idempotent: a second call with the same key (double click, retried
    request, signal sent twice) returns the row already there and queues
    nothing. Without a recipient the row is recorded as failed, so the log
    shows the email that could not go. Returns None, and logs, when even the
    row cannot be written: the caller's request carries on regardless.
    """
    try:
        body = render_to_string(body_template, context)
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                key=key,
                defaults={
                    "kind": kind,
                    "recipient": recipient,
                    # One line, as email headers need.
                    "subject": " ".join(subject.split())[:200],
                    "body": body,
                    "submission": submission,
                    "status": NotificationStatus.QUEUED if recipient else NotificationStatus.FAILED,
                    "last_error": "" if recipient else NO_ADDRESS,
                },
            )
    except Exception:
        logger.exception("notification %s could not be recorded", key)
        return None
    if not recipient:
        logger.warning("notification %s has no recipient: %s", key, NO_ADDRESS)
    elif created:
        transaction.on_commit(partial(notification_enqueue, notification_id=notification.pk), robust=True)
    return notification


def notification_enqueue(*, notification_id: int) -> None:
    """Hand the send to Celery (inline when no broker is configured); a broker outage leaves the row queued."""
    from .tasks import notification_send

    try:
        notification_send.delay(notification_id)
    except Exception:
        logger.exception("notification %s could not be handed to the task queue; it stays queued", notification_id)


def notifications_requeue_stale(*, older_than: timedelta = timedelta(minutes=10), limit: int = 500) -> int:
    """Hand rows still queued after ``older_than`` to the task queue again; returns how many.

    A row stays queued when the broker was down as it was created, or a retry
    could not be scheduled. Longer than every retry's wait added up (7.5 min
    by default), so nothing still waiting for its retry is picked up; and a
    duplicate task would find the row claimed and send nothing.
    """
    stale = Notification.objects.filter(
        status=NotificationStatus.QUEUED, created_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)[:limit]
    ids = list(stale)
    for notification_id in ids:
        notification_enqueue(notification_id=notification_id)
    return len(ids)


@dataclass(frozen=True)
class Attempt:
    """What one sending attempt came to: "sent", "retry" (after ``countdown`` seconds), "failed",
    "withdrawn" (no longer wanted) or "skipped"."""

    outcome: str
    countdown: float = 0.0


def retry_countdown(*, attempts: int) -> float:
    """Exponential backoff: the base wait, doubled after each failed attempt (30 s, 1, 2, 4 min by default)."""
    return settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def notification_attempt(*, notification_id: int, can_retry: bool = True) -> Attempt:
    """Claim the row and try to send it once; record the attempt and what came of it.

    SMTP errors and refused or dropped connections are worth retrying until
    NOTIFICATIONS_MAX_ATTEMPTS; a refused recipient or anything else fails at
    once. ``can_retry`` is False when tasks run inline (no broker): one
    attempt, then failed, rather than holding a web request.
    """
    claimed = Notification.objects.filter(pk=notification_id, status=NotificationStatus.QUEUED).update(
        status=NotificationStatus.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        # Already sent or failed, being sent by another task, or deleted with its submission.
        return Attempt("skipped")
    notification = Notification.objects.get(pk=notification_id)
    try:
        outgoing = _outgoing(notification)
    except Exception as error:
        logger.exception("notification %s could not be prepared", notification.key)
        return _attempt_failed(notification, error, retry=False)
    if outgoing is None:
        Notification.objects.filter(pk=notification.pk).update(status=NotificationStatus.FAILED, last_error=WITHDRAWN)
        return Attempt("withdrawn")
    message = EmailMessage(
        subject=notification.subject,
        body=outgoing.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers=outgoing.headers,
    )
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
        return _attempt_failed(notification, error, retry=False)
    except (smtplib.SMTPException, OSError) as error:
        return _attempt_failed(notification, error, retry=can_retry)
    except Exception as error:
        logger.exception("notification %s could not be sent", notification.key)
        return _attempt_failed(notification, error, retry=False)
    Notification.objects.filter(pk=notification.pk).update(status=NotificationStatus.SENT, sent_at=timezone.now())
    return Attempt("sent")


def _attempt_failed(notification: Notification, error: Exception, *, retry: bool) -> Attempt:
    text = f"{type(error).__name__}: {error}"[:500]
    retry = retry and notification.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS
    status = NotificationStatus.QUEUED if retry else NotificationStatus.FAILED
    Notification.objects.filter(pk=notification.pk).update(status=status, last_error=text)
    logger.warning(
        "notification %s attempt %s failed (%s)%s",
        notification.key,
        notification.attempts,
        type(error).__name__,
        ", will retry" if retry else "",
    )
    if retry:
        return Attempt("retry", countdown=retry_countdown(attempts=notification.attempts))
    # Failed for good: whoever sent it may need to know (a check-in then counts as bounced).
    notification_failed.send_robust(sender=Notification, notification=notification)
    return Attempt("failed")
