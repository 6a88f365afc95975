"""The same emails through a real Celery worker on the real Redis: delivery, once per event, retries."""

from __future__ import annotations

import threading

import pytest
from celery.signals import task_postrun, task_retry
from django.urls import reverse

from notifications.models import Notification, NotificationStatus
from notifications.tasks import notification_send
from triage.models import Clinic
from triage.selectors import ruleset_get

from .conftest import PATIENT, health_details, own_result, submission_make, wait_for
from .test_events import booking_post

# The worker reads and writes from its own thread and connection: the test's
# data must be committed, so these tests run outside a transaction.
# The worker fixture is module-scoped, so it starts before the (function-scoped) database fixtures.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("celery_worker_on_redis", "clinical_content"),
]


class TaskEvents:
    """What the worker thread reports: finished tasks and scheduled retries (read without touching the database)."""

    def __init__(self) -> None:
        self.finished: list[str] = []
        self.retried = threading.Event()

    def on_postrun(self, sender=None, retval=None, state=None, **kwargs) -> None:
        if getattr(sender, "name", "") == notification_send.name:
            self.finished.append(state)

    def on_retry(self, sender=None, **kwargs) -> None:
        self.retried.set()


@pytest.fixture
def events(celery_worker_on_redis):
    events = TaskEvents()
    task_postrun.connect(events.on_postrun, weak=False)
    task_retry.connect(events.on_retry, weak=False)
    yield events
    task_postrun.disconnect(events.on_postrun)
    task_retry.disconnect(events.on_retry)


@pytest.fixture
def clinic(transactional_db) -> Clinic:
    clinic = Clinic.objects.order_by("pk").first()
    clinic.notify_email = "ponsonby@clinic.example"
    clinic.save()
    return clinic


def successes(events: TaskEvents) -> int:
    return events.finished.count("SUCCESS")


def test_a_booking_request_reaches_the_clinic_and_the_patient_through_the_worker(client, smtp_server, events, clinic):
    ruleset = ruleset_get()
    submission = submission_make(ruleset, "book_assessment", clinic=clinic)
    own_result(client, submission)
    assert booking_post(client, submission, clinic).status_code == 302
    wait_for(lambda: successes(events) >= 2, what="two sent emails")
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == sorted(
        ["ponsonby@clinic.example", PATIENT.email]
    )
    forbidden = [*health_details(ruleset, submission), *(c.name for c in ruleset.conditions)]
    for message in smtp_server.messages:
        text = f"{message['Subject']}\n{message.get_content()}"
        assert submission.reference in text
        assert not [word for word in forbidden if word.lower() in text.lower()]
    log = Notification.objects.filter(submission=submission)
    assert {(n.status, n.attempts) for n in log} == {(NotificationStatus.SENT, 1)}
    assert all(n.sent_at is not None for n in log)


def test_a_red_flag_reaches_the_clinic_through_the_worker_once(smtp_server, events, clinic):
    submission = submission_make(ruleset_get(), "see_doctor_today", clinic=clinic)
    wait_for(lambda: successes(events) >= 1, what="the red-flag email")
    [email] = smtp_server.messages
    assert email["X-Envelope-To"] == "ponsonby@clinic.example"
    assert submission.reference in email["Subject"]


def test_a_task_delivered_twice_sends_the_email_once(smtp_server, events, clinic):
    submission = submission_make(ruleset_get(), "emergency", clinic=clinic)
    wait_for(lambda: successes(events) >= 1, what="the first delivery")
    notification = Notification.objects.get(submission=submission)
    # Celery delivers at least once: a second copy of the task must find the email already sent.
    notification_send.delay(notification.pk)
    wait_for(lambda: successes(events) >= 2, what="the second delivery")
    assert len(smtp_server.messages) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 1)


def test_a_refused_connection_is_retried_with_backoff_until_the_email_arrives(
    client, smtp_server, events, clinic, settings
):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0.5
    smtp_server.stop()
    submission = submission_make(ruleset_get(), "book_assessment", clinic=clinic)
    own_result(client, submission)
    response = booking_post(client, submission, clinic, email="")
    # The patient's page does not wait for, or see, the mail server's failure.
    assert response.status_code == 302
    assert events.retried.wait(timeout=30), "the worker never scheduled a retry"
    smtp_server.start()
    wait_for(lambda: successes(events) >= 1 and smtp_server.messages, what="the email after a retry")
    [email] = smtp_server.messages
    assert email["X-Envelope-To"] == "ponsonby@clinic.example"
    notification = Notification.objects.get(submission=submission)
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts > 1
    assert "ConnectionRefusedError" in notification.last_error
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("booking:booking_confirmation", kwargs={"token": submission.token})).status_code == 200
