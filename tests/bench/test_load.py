"""``make load`` counts the emails its patients' events send: one per event, none doubled, none lost.

No timings here: only that the figures are produced and that emails == events.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench import emails
from booking import services as booking_services
from tests.review_helpers import first_code, make_submission
from triage import scoring
from triage.models import Clinic
from triage.services import ContactDetails

ROOT = Path(__file__).resolve().parents[2]


def patients_saw(*, bookings: int = 0, with_email: int = 0, red_flags: int = 0) -> SimpleNamespace:
    return SimpleNamespace(
        booking_requests=bookings, booking_requests_with_email=with_email, api_red_flags_with_consent=red_flags
    )


def booking(submission, *, email: str = "") -> None:
    booking_services.booking_request_create(
        submission=submission,
        details=booking_services.BookingDetails(
            clinic=Clinic.objects.first(),
            preferred_days=["mon"],
            preferred_times=["morning"],
            name="Aroha",
            email=email,
            phone="021 555 1234",
            notes="",
        ),
    )


@pytest.fixture
def notify_address(settings):
    settings.CLINIC_NOTIFY_EMAIL = "clinic@example.com"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_the_log_holds_one_sent_email_per_event(db_ruleset, notify_address, django_capture_on_commit_callbacks):
    """Two booking requests (one with an email address, asked twice) and a red flag with consent: four emails."""
    with django_capture_on_commit_callbacks(execute=True):
        with_email = make_submission(db_ruleset, pain_duration="over_12_weeks")
        booking(with_email, email="aroha@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        booking(with_email, email="aroha@example.com")  # a double click finds the open request: no second email
        booking(make_submission(db_ruleset, pain_duration="over_12_weeks"))
        emergency = {first_code(db_ruleset, scoring.EMERGENCY)}
        make_submission(db_ruleset, yes=emergency, contact=ContactDetails(name="Mere", phone="021 123 4567"))
        make_submission(db_ruleset, yes=emergency)  # no consent: no email

    stored = emails.stored_figures()
    assert stored["booking_requests"] == 2 and stored["red_flags_with_consent"] == 1
    assert stored["notifications_by_kind"] == {
        "booking_request_clinic": {"sent": 2},
        "booking_request_patient": {"sent": 1},
        "red_flag_clinic": {"sent": 1},
    }
    figures = emails.emails_check(stored=stored, stats=patients_saw(bookings=2, with_email=1, red_flags=1))
    assert figures["events"] == figures["emails"] == figures["sent"] == 4
    assert figures["one_email_per_event"] and figures["ok"]
    assert (figures["failed"], figures["queued"]) == (0, 0)


def stored_with(**changes) -> dict:
    stored = {
        "submissions": 3,
        "booking_requests": 1,
        "booking_requests_with_email": 1,
        "red_flags_with_consent": 1,
        "notifications": 3,
        "notifications_by_kind": {
            "booking_request_clinic": {"sent": 1},
            "booking_request_patient": {"sent": 1},
            "red_flag_clinic": {"sent": 1},
        },
        "events_without_email": [],
        "emails_without_event": [],
        "events_without_email_count": 0,
        "emails_without_event_count": 0,
    }
    return stored | changes


def test_emails_equal_events_when_each_event_has_its_email():
    figures = emails.emails_check(stored=stored_with(), stats=patients_saw(bookings=1, with_email=1, red_flags=1))
    assert figures["ok"] and figures["events"] == figures["emails"] == 3


@pytest.mark.parametrize(
    ("stored", "seen"),
    [
        # A booking the patient saw fail was stored and emailed anyway: one more email than events.
        (stored_with(), patients_saw(bookings=0, with_email=1, red_flags=1)),
        # A red flag's email is missing from the log.
        (
            stored_with(
                notifications=2,
                notifications_by_kind={"booking_request_clinic": {"sent": 1}, "booking_request_patient": {"sent": 1}},
                events_without_email=["red-flag:9:clinic"],
                events_without_email_count=1,
            ),
            patients_saw(bookings=1, with_email=1, red_flags=1),
        ),
    ],
)
def test_a_doubled_or_lost_email_fails_the_run(stored, seen):
    figures = emails.emails_check(stored=stored, stats=seen)
    assert not figures["one_email_per_event"] and not figures["ok"]


def test_an_email_left_queued_or_failed_fails_the_run():
    for status in ("queued", "failed"):
        kinds = stored_with()["notifications_by_kind"] | {"red_flag_clinic": {status: 1}}
        stored = stored_with(notifications_by_kind=kinds)
        figures = emails.emails_check(stored=stored, stats=patients_saw(bookings=1, with_email=1, red_flags=1))
        assert figures["one_email_per_event"] and not figures["ok"]
        assert figures[status] == 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_load_run_reports_its_emails(tmp_path):
    """A few seconds of ``make load`` on SQLite: the figures are produced, and emails == events."""
    command = [sys.executable, "-m", "bench.load", "--db", "sqlite", "--patients", "4", "--duration", "6"]
    completed = subprocess.run(
        [*command, "--port", str(free_port()), "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    figures = json.loads((tmp_path / "load-sqlite.json").read_text())
    sent = figures["emails"]
    assert set(sent["emails_by_kind"]) == set(emails.EVENT_KINDS)
    assert sent["emails"] == sent["events"] == sum(sent["events_by_kind"].values())
    assert sent["one_email_per_event"] and sent["queued"] == 0
    assert "emails for" in completed.stdout  # the summary line
