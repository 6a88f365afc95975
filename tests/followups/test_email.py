"""The check-in email as it arrives (real SMTP, tasks inline): no health details, a working link, a way out."""

from __future__ import annotations

import pytest
from django.utils import formats, timezone

from followups.emails import LEFT_OUT
from followups.models import CheckIn, CheckInStatus
from notifications.models import Notification, NotificationKind, NotificationStatus
from triage.models import Submission

from .conftest import LINK_RE, PATIENT, UNSUBSCRIBE_RE, health_details, opted_in, path_of, send_followups

pytestmark = pytest.mark.django_db


@pytest.fixture
def emailed(ruleset, smtp_server, django_capture_on_commit_callbacks):
    submission = opted_in(ruleset, days_ago=42)
    with django_capture_on_commit_callbacks(execute=True):
        send_followups()
    [message] = smtp_server.to(PATIENT.email)
    return submission, message


def test_the_email_names_the_date_the_reference_and_the_expiry_and_no_health_details(ruleset, emailed):
    submission, message = emailed
    text = f"{message['Subject']}\n{message.get_content()}"
    checkin = CheckIn.objects.get(submission=submission)
    assert submission.reference in text
    assert formats.date_format(timezone.localtime(submission.created_at), "j F Y") in text
    assert formats.date_format(timezone.localtime(checkin.expires_at), "j F Y") in text
    forbidden = [*health_details(ruleset, submission), *(c.name for c in ruleset.conditions), "pain:"]
    assert [word for word in forbidden if word.lower() in text.lower()] == []
    assert submission.get_disposition_display().lower() not in text.lower()


def test_the_email_link_opens_the_check_in_and_the_unsubscribe_link_the_confirmation(client, emailed):
    _submission, message = emailed
    body = message.get_content()
    [link] = LINK_RE.findall(body)
    [unsubscribe] = UNSUBSCRIBE_RE.findall(body)
    assert client.get(path_of(link)).status_code == 200
    page = client.get(path_of(unsubscribe))
    assert page.status_code == 200
    assert "Yes, stop the emails" in page.content.decode()
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_log_keeps_the_body_as_sent_but_never_a_working_link(emailed):
    submission, message = emailed
    log = Notification.objects.get(submission=submission, kind=NotificationKind.FOLLOWUP_PATIENT)
    assert log.status == NotificationStatus.SENT
    assert "/check-in/" not in log.body
    assert log.body.count(LEFT_OUT) == 2
    # Apart from the two links, the log holds what was sent, word for word.
    sent = LINK_RE.sub(LEFT_OUT, UNSUBSCRIBE_RE.sub(LEFT_OUT, message.get_content())).replace("\r\n", "\n")
    assert sent.strip() == log.body.strip()


def test_an_email_still_queued_when_the_person_unsubscribes_is_not_sent(
    client, ruleset, smtp_server, django_capture_on_commit_callbacks
):
    submission = opted_in(ruleset, days_ago=42)
    send_followups()  # queued; the callbacks that would send it are not run
    checkin = CheckIn.objects.get(submission=submission)
    from audit.actor import SYSTEM
    from followups.services import followups_unsubscribe
    from notifications.services import notification_attempt

    followups_unsubscribe(checkin_id=checkin.pk, actor=SYSTEM)
    notification = Notification.objects.get(submission=submission)
    assert notification_attempt(notification_id=notification.pk).outcome == "withdrawn"
    assert smtp_server.messages == []
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    checkin.refresh_from_db()
    assert checkin.status == CheckInStatus.UNSUBSCRIBED  # withdrawn is not a bounce


def test_a_refused_address_marks_the_check_in_bounced(ruleset, smtp_server, django_capture_on_commit_callbacks):
    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such mailbox"

    smtp_server.inbox.handle_RCPT = refuse
    submission = opted_in(ruleset, days_ago=42)
    with django_capture_on_commit_callbacks(execute=True):
        send_followups()
    checkin = CheckIn.objects.get(submission=submission)
    assert (checkin.status, checkin.nonce) == (CheckInStatus.BOUNCED, "")
    assert Notification.objects.get(submission=submission).status == NotificationStatus.FAILED
    assert Submission.objects.get(pk=submission.pk).followup_consent  # a bounce is not an unsubscribe
