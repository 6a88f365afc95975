"""Which events email whom, with what in it: real SMTP server, tasks run inline (no broker, as in `make run`)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from booking.models import BookingRequest
from notifications.models import Notification, NotificationKind, NotificationStatus
from notifications.services import notification_queue
from triage.models import Clinic, Submission

from .conftest import PATIENT, health_details, own_result, submission_make

pytestmark = pytest.mark.django_db

NOTES = "The pain wakes me at night since my fall"


def booking_post(client, submission: Submission, clinic: Clinic, **overrides):
    data = {
        "clinic": str(clinic.pk),
        "preferred_days": ["mon", "thu"],
        "preferred_times": ["morning"],
        "name": PATIENT.name,
        "phone": PATIENT.phone,
        "email": PATIENT.email,
        "notes": NOTES,
        "consent": "on",
        **overrides,
    }
    return client.post(reverse("booking:booking_request", kwargs={"token": submission.token}), data)


@pytest.fixture
def clinic(db) -> Clinic:
    clinic = Clinic.objects.order_by("pk").first()
    clinic.phone = "09 300 1234"
    clinic.notify_email = "ponsonby@clinic.example"
    clinic.save()
    return clinic


@pytest.fixture
def booked(client, db_ruleset, clinic, smtp_server, django_capture_on_commit_callbacks):
    """A booking request sent through the patient's page, with its emails delivered."""
    submission = submission_make(db_ruleset, "book_assessment", clinic=clinic)
    own_result(client, submission)
    with django_capture_on_commit_callbacks(execute=True):
        response = booking_post(client, submission, clinic)
    assert response.status_code == 302
    return submission


def body(message) -> str:
    return message.get_content()


def test_a_booking_request_emails_the_clinic_the_reference_level_and_admin_link(booked, smtp_server, clinic):
    [email] = smtp_server.to("ponsonby@clinic.example")
    booking = BookingRequest.objects.get(submission=booked)
    assert booked.reference in email["Subject"] and clinic.name in email["Subject"]
    assert email["From"] == "Self-check <selfcheck@example.org>"
    text = body(email)
    assert booked.reference in text and clinic.name in text and "Book an assessment" in text
    admin_path = reverse("admin:booking_bookingrequest_change", args=[booking.pk])
    assert f"https://selfcheck.example.org{admin_path}" in text


def test_no_email_to_the_clinic_or_patient_carries_answers_conditions_or_contact_details(
    booked, smtp_server, db_ruleset
):
    clinic_email = smtp_server.to("ponsonby@clinic.example")[0]
    patient_email = smtp_server.to(PATIENT.email)[0]
    forbidden = [*health_details(db_ruleset, booked), *(c.name for c in db_ruleset.conditions), NOTES]
    for text in (clinic_email["Subject"], body(clinic_email)):
        assert not [word for word in forbidden if word.lower() in text.lower()]
    # The patient's own address is on the envelope, never in what is written.
    for text in (patient_email["Subject"], body(patient_email)):
        assert not [word for word in forbidden if word.lower() in text.lower()]


def test_the_patient_gets_a_confirmation_with_reference_clinic_phone_and_what_happens_next(booked, smtp_server, clinic):
    [email] = smtp_server.to(PATIENT.email)
    text = body(email)
    assert email["To"] == PATIENT.email
    assert booked.reference in email["Subject"] and booked.reference in text
    assert clinic.name in text and clinic.phone in text
    assert "What happens next" in text and "not a booked appointment" in text


def test_a_patient_who_gave_only_a_phone_gets_no_email(
    client, db_ruleset, clinic, smtp_server, django_capture_on_commit_callbacks
):
    submission = submission_make(db_ruleset, "book_assessment", clinic=clinic)
    own_result(client, submission)
    with django_capture_on_commit_callbacks(execute=True):
        assert booking_post(client, submission, clinic, email="").status_code == 302
    assert [m["X-Envelope-To"] for m in smtp_server.messages] == ["ponsonby@clinic.example"]


def test_a_double_submitted_booking_request_sends_each_email_once(
    client, db_ruleset, clinic, smtp_server, django_capture_on_commit_callbacks
):
    submission = submission_make(db_ruleset, "book_assessment", clinic=clinic)
    own_result(client, submission)
    for _click in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            booking_post(client, submission, clinic)
    assert BookingRequest.objects.count() == 1
    assert len(smtp_server.to("ponsonby@clinic.example")) == 1
    assert len(smtp_server.to(PATIENT.email)) == 1
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 2


def test_a_clinic_without_its_own_address_is_notified_at_the_fallback(
    client, db_ruleset, clinic, smtp_server, django_capture_on_commit_callbacks
):
    clinic.notify_email = ""
    clinic.save()
    submission = submission_make(db_ruleset, "book_assessment", clinic=clinic)
    own_result(client, submission)
    with django_capture_on_commit_callbacks(execute=True):
        booking_post(client, submission, clinic)
    assert len(smtp_server.to("frontdesk@example.org")) == 1


@pytest.mark.parametrize("disposition", ["emergency", "see_doctor_today"])
def test_a_red_flag_with_contact_consent_emails_the_clinic_once_without_health_details(
    db_ruleset, clinic, smtp_server, django_capture_on_commit_callbacks, disposition
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_make(db_ruleset, disposition, clinic=clinic)
    [email] = smtp_server.messages
    assert email["X-Envelope-To"] == "ponsonby@clinic.example"
    text = f"{email['Subject']}\n{body(email)}"
    assert submission.reference in text and clinic.name in text
    assert submission.get_disposition_display() in text
    assert f"https://selfcheck.example.org{reverse('admin:triage_submission_change', args=[submission.pk])}" in text
    forbidden = [*health_details(db_ruleset, submission), *(c.name for c in db_ruleset.conditions)]
    assert not [word for word in forbidden if word.lower() in text.lower()]


def test_a_red_flag_without_contact_consent_emails_nobody(db_ruleset, smtp_server, django_capture_on_commit_callbacks):
    from triage.services import ContactDetails

    with django_capture_on_commit_callbacks(execute=True):
        submission_make(db_ruleset, "emergency", contact=ContactDetails())
    assert smtp_server.messages == []
    assert not Notification.objects.exists()


def test_a_repeated_red_flag_submit_sends_one_email(db_ruleset, smtp_server, django_capture_on_commit_callbacks):
    from triage import services

    answers = {q.code: q.code == "saddle_numbness" for q in db_ruleset.questions}
    for _click in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.submission_create(ruleset=db_ruleset, answers=answers, contact=PATIENT, idempotency_key="run-1")
    assert Submission.objects.count() == 1
    assert len(smtp_server.messages) == 1


def test_a_red_flag_with_no_clinic_and_no_fallback_is_logged_as_failed(
    db_ruleset, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.CLINIC_NOTIFY_EMAIL = ""
    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_make(db_ruleset, "emergency")
    notification = Notification.objects.get(submission=submission)
    assert notification.status == NotificationStatus.FAILED
    assert "CLINIC_NOTIFY_EMAIL" in notification.last_error
    assert smtp_server.messages == []


def test_queueing_the_same_event_twice_keeps_one_row_and_sends_once(
    db_ruleset, smtp_server, django_capture_on_commit_callbacks
):
    submission = submission_make(db_ruleset, "book_assessment")
    for _retry in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notification_queue(
                key=f"test:{submission.pk}",
                kind=NotificationKind.RED_FLAG_CLINIC,
                recipient="someone@example.org",
                subject="Hello",
                body_template="notifications/red_flag_clinic.txt",
                context={"reference": submission.reference},
                submission=submission,
            )
    assert Notification.objects.filter(key=f"test:{submission.pk}").count() == 1
    assert len(smtp_server.messages) == 1


def test_a_refused_smtp_connection_never_breaks_the_booking_page(
    client, db_ruleset, clinic, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    submission = submission_make(db_ruleset, "book_assessment", clinic=clinic)
    own_result(client, submission)
    with django_capture_on_commit_callbacks(execute=True):
        response = booking_post(client, submission, clinic)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert BookingRequest.objects.filter(submission=submission).exists()
    # Inline (no broker) there is one attempt, recorded with its error.
    failed = Notification.objects.filter(submission=submission)
    assert {(n.status, n.attempts) for n in failed} == {(NotificationStatus.FAILED, 1)}
    assert all("ConnectionRefusedError" in n.last_error for n in failed)


def test_an_unreachable_task_queue_never_breaks_the_booking_page(
    client, db_ruleset, clinic, smtp_server, django_capture_on_commit_callbacks
):
    submission = submission_make(db_ruleset, "book_assessment", clinic=clinic)
    own_result(client, submission)
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with (
        mock.patch("notifications.tasks.notification_send.delay", side_effect=refused),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = booking_post(client, submission, clinic)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert BookingRequest.objects.filter(submission=submission).exists()
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.QUEUED}


def test_the_log_goes_with_its_submission_so_no_patient_address_is_kept(booked):
    assert Notification.objects.filter(recipient=PATIENT.email).exists()
    booked.delete()
    assert not Notification.objects.exists()


def test_an_email_left_queued_by_a_broker_outage_is_sent_by_the_periodic_requeue(
    client, db_ruleset, clinic, smtp_server, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from notifications.tasks import notifications_requeue

    submission = submission_make(db_ruleset, "book_assessment", clinic=clinic)
    own_result(client, submission)
    refused = OperationalError("Connection refused.")
    with (
        mock.patch("notifications.tasks.notification_send.delay", side_effect=refused),
        django_capture_on_commit_callbacks(execute=True),
    ):
        booking_post(client, submission, clinic)
    assert smtp_server.messages == []
    # Not yet: a row this new may still be waiting for a retry.
    assert notifications_requeue.delay().get() == 0
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    assert notifications_requeue.delay().get() == 2
    assert len(smtp_server.messages) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}
    assert settings.CELERY_BEAT_SCHEDULE["requeue-stale-notifications"]["task"] == notifications_requeue.name
