"""Unsubscribing: a confirm button first, then no more check-in emails, at once, without signing in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from followups import services
from followups.models import CheckIn, CheckInStatus
from followups.tokens import unsubscribe_link_sign
from triage.models import Submission

from .conftest import link_path, opted_in, send_followups

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkin(ruleset) -> CheckIn:
    return services.checkin_send(submission=opted_in(ruleset, days_ago=42), week=6)


def unsubscribe_path(checkin: CheckIn) -> str:
    return f"/check-in/unsubscribe/{unsubscribe_link_sign(checkin_id=checkin.pk)}/"


def test_opening_the_link_only_asks_so_a_mail_scanner_unsubscribes_no_one(client, checkin):
    response = client.get(unsubscribe_path(checkin))
    assert response.status_code == 200
    assert "Yes, stop the emails" in response.content.decode()
    assert Submission.objects.get(pk=checkin.submission_id).followup_consent


def test_confirming_stops_every_later_check_in_and_closes_the_open_one(checkin, django_capture_on_commit_callbacks):
    checkin_link = link_path(checkin)
    client = Client(enforce_csrf_checks=True)  # the mail program's one-click POST carries no CSRF token
    response = client.post(unsubscribe_path(checkin), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 302
    assert "will not get any more check-in emails" in client.get(response["Location"]).content.decode()
    submission = Submission.objects.get(pk=checkin.submission_id)
    assert not submission.followup_consent and submission.followup_unsubscribed_at is not None
    checkin.refresh_from_db()
    assert (checkin.status, checkin.nonce) == (CheckInStatus.UNSUBSCRIBED, "")
    assert AuditEvent.objects.filter(target=submission.reference, detail__unsubscribed=True).count() == 1
    # Week 12 comes and goes: nothing is made, nothing is sent.
    Submission.objects.filter(pk=submission.pk).update(created_at=timezone.now() - timedelta(days=84))
    with django_capture_on_commit_callbacks(execute=True):
        send_followups()
    assert CheckIn.objects.filter(submission=submission).count() == 1
    # The check-in link now says it has closed; unsubscribing again is harmless.
    closed = Client().get(checkin_link)
    assert closed.status_code == 410 and "This check-in has closed" in closed.content.decode()
    assert client.post(unsubscribe_path(checkin)).status_code == 302


def test_an_answered_check_in_stays_answered_after_unsubscribing(client, checkin):
    from .test_checkin_page import ANSWERS

    client.post(link_path(checkin), ANSWERS)
    client.post(unsubscribe_path(checkin))
    checkin.refresh_from_db()
    assert checkin.status == CheckInStatus.ANSWERED and checkin.pain_intensity == 3


def test_a_tampered_or_deleted_unsubscribe_link_gets_the_not_working_page(client, checkin):
    path = unsubscribe_path(checkin)
    assert client.get(path[:-3] + "xx/").status_code == 404
    checkin.submission.delete()
    # Nothing left to email: the confirmation is shown, and confirming says the emails have stopped.
    assert client.post(path).status_code == 302
