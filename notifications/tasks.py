"""Celery tasks: sending one logged email, with retries and backoff."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from .services import notification_attempt, notifications_requeue_stale


@shared_task(bind=True, name="notifications.send", max_retries=None, ignore_result=True)
def notification_send(self, notification_id: int) -> str:
    """Send notification ``notification_id``; on an SMTP failure, try again later with a longer wait.

    Never raises (except Celery's own Retry, which reschedules the task): the
    outcome is recorded on the row. Safe to deliver twice: a second copy
    finds the row already claimed and does nothing.
    """
    try:
        attempt = notification_attempt(notification_id=notification_id, can_retry=not self.request.is_eager)
    except OperationalError as error:
        # The database was busy or away for a moment (a lock, a restart): nothing was claimed or sent,
        # so try again in a second rather than leave the email to the 10-minute re-queue.
        if self.request.is_eager:
            raise
        raise self.retry(exc=error, countdown=1, max_retries=5) from error
    if attempt.outcome == "retry":
        raise self.retry(countdown=attempt.countdown)
    return attempt.outcome


@shared_task(name="notifications.requeue_stale", ignore_result=True)
def notifications_requeue() -> int:
    """Run by beat every 10 minutes: emails left queued by a broker outage are sent after all."""
    return notifications_requeue_stale()
