"""Celery tasks: the daily check-in run (beat, clinic_site/settings_tasks.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="followups.send_due", ignore_result=True)
def send_due() -> dict:
    """Close expired check-ins and email those due; run daily by beat, safe to run again or twice at once."""
    from .services import followups_send_due

    counts = followups_send_due()
    return {"due": counts.due, "emailed": counts.emailed, "already": counts.already, "failed": counts.failed}
