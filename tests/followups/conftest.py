"""Check-ins: submissions that asked for them, of a given age, and the real SMTP server and worker to send them."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from followups.models import CheckIn
from followups.tokens import checkin_link_sign
from tests.notifications.conftest import (  # noqa: F401  (fixtures, shared with the notification tests)
    PATIENT,
    celery_worker_on_redis,
    clinical_content,
    health_details,
    smtp_server,
    submission_make,
    wait_for,
)
from triage.models import Submission

LINK_RE = re.compile(r"https?://\S+/check-in/(?!unsubscribe/)\S+/")
UNSUBSCRIBE_RE = re.compile(r"https?://\S+/check-in/unsubscribe/\S+/")


def opted_in(ruleset, *, days_ago: float, disposition: str = "book_assessment", clinic=None) -> Submission:
    """A submission made ``days_ago`` days ago by someone who asked for check-ins by email."""
    submission = submission_make(ruleset, disposition, clinic=clinic)
    now = timezone.now()
    Submission.objects.filter(pk=submission.pk).update(
        created_at=now - timedelta(days=days_ago), followup_consent=True, followup_consent_at=now
    )
    submission.refresh_from_db()
    return submission


def send_followups(*args: str) -> str:
    out = StringIO()
    call_command("send_followups", *args, stdout=out)
    return out.getvalue()


def link_path(checkin: CheckIn) -> str:
    """The path of a check-in's emailed link, as the email would carry it."""
    return f"/check-in/{checkin_link_sign(checkin_id=checkin.pk, nonce=checkin.nonce)}/"


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def ruleset(db_ruleset):
    return db_ruleset


__all__ = [
    "LINK_RE",
    "PATIENT",
    "UNSUBSCRIBE_RE",
    "health_details",
    "link_path",
    "opted_in",
    "path_of",
    "send_followups",
    "wait_for",
]
