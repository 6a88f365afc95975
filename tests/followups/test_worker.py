"""The schedule through a real Celery worker on the real Redis and a real SMTP server.

A submission made 42 days ago gets exactly one 6-week email, whether the
command or beat's task runs, and however often; a new red flag reaches the clinic.
"""

from __future__ import annotations

import threading

import pytest
from celery.signals import task_postrun

from followups.models import CheckIn, CheckInStatus
from followups.tasks import send_due
from notifications.models import Notification, NotificationStatus
from notifications.tasks import notification_send
from triage import scoring
from triage.selectors import ruleset_get

from .conftest import LINK_RE, PATIENT, opted_in, path_of, send_followups, wait_for
from .test_checkin_page import ANSWERS

# The worker reads and writes from its own thread and connection: the test's data must be committed.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("celery_worker_on_redis", "clinical_content"),
]


class Finished:
    """Tasks the worker thread finished, by name (read without touching the database)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, sender=None, state=None, **kwargs) -> None:
        with self.lock:
            self.names.append(f"{getattr(sender, 'name', '')}:{state}")

    def count(self, name: str) -> int:
        return self.names.count(f"{name}:SUCCESS")


@pytest.fixture
def finished(celery_worker_on_redis):
    listener = Finished()
    task_postrun.connect(listener, weak=False)
    yield listener
    task_postrun.disconnect(listener)


def test_the_command_twice_sends_one_6_week_email_through_the_worker(smtp_server, finished):
    submission = opted_in(ruleset_get(), days_ago=42)
    assert "1 check-in(s) emailed" in send_followups()
    wait_for(lambda: finished.count(notification_send.name) >= 1, what="the check-in email")
    assert "0 check-in(s) emailed" in send_followups()
    assert len(smtp_server.to(PATIENT.email)) == 1
    [checkin] = CheckIn.objects.filter(submission=submission)
    assert checkin.week == 6
    assert Notification.objects.get(submission=submission).status == NotificationStatus.SENT


def test_beats_task_on_the_worker_twice_sends_one_email(smtp_server, finished):
    opted_in(ruleset_get(), days_ago=42)
    send_due.delay()
    wait_for(lambda: finished.count(notification_send.name) >= 1, what="the email from the beat task")
    send_due.delay()
    wait_for(lambda: finished.count(send_due.name) >= 2, what="the second run")
    assert len(smtp_server.to(PATIENT.email)) == 1
    assert CheckIn.objects.count() == 1


def test_answering_with_a_new_red_flag_tells_the_clinic_through_the_worker(client, smtp_server, finished):
    ruleset = ruleset_get()
    submission = opted_in(ruleset, days_ago=42)
    send_followups()
    wait_for(lambda: smtp_server.to(PATIENT.email), what="the check-in email")
    [link] = LINK_RE.findall(smtp_server.to(PATIENT.email)[0].get_content())
    code = ruleset.questions_of_kind(scoring.EMERGENCY)[0].code
    response = client.post(path_of(link), {**ANSWERS, "ticked": [code]})
    assert response.status_code == 302
    wait_for(lambda: smtp_server.to("frontdesk@example.org"), what="the clinic's red-flag email")
    [email] = smtp_server.to("frontdesk@example.org")
    assert submission.reference in email["Subject"]
    assert CheckIn.objects.get(submission=submission).status == CheckInStatus.ANSWERED
    # The same link, used again, answers nothing.
    assert "already answered" in client.get(path_of(link)).content.decode()
