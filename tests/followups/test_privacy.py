"""Deleting answers, and the retention purge, take the check-ins (and their emails) with them."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from followups import services
from followups.models import CheckIn
from notifications.models import Notification
from tests.conftest import own_result
from triage.models import Submission

from .conftest import link_path, opted_in
from .test_checkin_page import ANSWERS

pytestmark = pytest.mark.django_db


def test_delete_my_answers_deletes_the_check_ins_and_their_emails(client, ruleset):
    submission = opted_in(ruleset, days_ago=42)
    checkin = services.checkin_send(submission=submission, week=6)
    client.post(link_path(checkin), ANSWERS)
    own_result(client, submission)
    response = client.post(reverse("triage:result_delete", kwargs={"token": submission.token}))
    assert response.status_code == 302
    assert not CheckIn.objects.filter(pk=checkin.pk).exists()
    assert not Notification.objects.filter(key__startswith=f"followup:{checkin.pk}:").exists()
    # The emailed link now opens nothing, and says nothing about why.
    assert client.get(link_path(checkin)).status_code == 404


def test_the_purge_deletes_check_ins_with_their_submission(ruleset, settings):
    settings.TRIAGE_RETENTION_DAYS = {"anonymous": 180, "follow_up": 3653}
    submission = opted_in(ruleset, days_ago=42)
    checkin = services.checkin_send(submission=submission, week=6)
    Submission.objects.filter(pk=submission.pk).update(created_at=timezone.now() - timedelta(days=3654))
    call_command("purge_submissions", stdout=StringIO())
    assert not Submission.objects.filter(pk=submission.pk).exists()
    assert not CheckIn.objects.filter(pk=checkin.pk).exists()
