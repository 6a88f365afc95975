"""The real parts for the notification tests: an SMTP server in-process and a Celery worker on the real Redis."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker

from clinic_site.celery import app as celery_app
from triage import services
from triage.models import Clinic, Submission

from ..conftest import own_result

BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")


class Inbox:
    """aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on a free local port that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """A running SMTP server, with Django's email settings pointing at it (as EMAIL_URL=smtp://... would)."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Self-check <selfcheck@example.org>"
    settings.CLINIC_NOTIFY_EMAIL = "frontdesk@example.org"
    settings.SITE_URL = "https://selfcheck.example.org"
    yield server
    server.stop()


@pytest.fixture(scope="module")
def celery_worker_on_redis() -> Iterator[object]:
    """A real Celery worker thread consuming from the real Redis, on a queue of this test run's own.

    The queue name is unique per run, so parallel suites on this machine never
    take each other's tasks; it is removed afterwards. The app goes back to
    running tasks inline when the worker stops. Fails (never skips) without Redis.

    When the browser tests ran earlier in the session, Playwright's event loop
    is still running in this thread and Django refuses database calls from it,
    as it does in those tests: they are allowed here for the same reason, and
    only while this module's tests run (request it before the database fixtures).
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    queue = f"test-notifications-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    # Tasks run inline earlier in the session left a producer pool for the default broker: drop it,
    # and the app's cached AMQP helper that holds it (a cached_property, rebuilt on next use).
    celery_app.close()
    vars(celery_app).pop("amqp", None)
    celery_app.conf.update(broker_url=BROKER_URL, task_always_eager=False, task_default_queue=queue)
    try:
        with celery_app.producer_or_acquire() as producer:
            # Never publish a test's tasks to whatever broker the default settings would reach.
            assert producer.connection.as_uri().startswith(BROKER_URL.split("//")[0])
        try:
            with celery_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1)
        except Exception as error:
            pytest.fail(f"These tests need Redis at {BROKER_URL} (set TEST_CELERY_BROKER_URL): {error}")
        try:
            with start_worker(celery_app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30) as worker:
                yield worker
        finally:
            with celery_app.connection_for_write() as connection:
                connection.default_channel.queue_delete(queue)
                client = connection.default_channel.client
                for key in client.scan_iter(f"_kombu.binding*.{queue}"):
                    client.delete(key)
    finally:
        celery_app.close()
        vars(celery_app).pop("amqp", None)
        celery_app.conf.update(saved)
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def clinical_content(transactional_db) -> None:
    """The seeded clinical content, put back if an earlier transactional test's flush took it (worker tests)."""
    from django.apps import apps as django_apps

    from triage.models import Question, RulesetVersion

    if not RulesetVersion.objects.exists() and not Question.objects.exists():
        from importlib import import_module

        import_module("triage.migrations.0002_seed_clinical_content").seed(django_apps, None)


def wait_for(condition: Callable[[], object], *, timeout: float = 30, what: str = "the condition") -> object:
    """Poll until ``condition()`` is truthy (the worker runs in another thread); fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


PATIENT = services.ContactDetails(name="Mereana Testperson", email="mereana@patient.example", phone="021 555 0123")
# Answers that give each disposition with the seeded content (as in the booking tests).
YES = {
    "emergency": {"saddle_numbness"},
    "see_doctor_today": {"fever_unwell"},
    "book_assessment": {"pain_lying_on_side", "outer_hip_tenderness", "pain_walking_running_stairs"},
}


def submission_make(ruleset, disposition: str, *, contact=PATIENT, clinic: Clinic | None = None) -> Submission:
    answers = {q.code: q.code in YES[disposition] for q in ruleset.questions}
    extra = {} if disposition == "emergency" else {"pain_duration": "over_12_weeks", "pain_intensity": 6}
    submission = services.submission_create(
        ruleset=ruleset, answers=answers, contact=contact, clinic_id=clinic.pk if clinic else None, **extra
    )
    assert submission.disposition == disposition
    return submission


def health_details(ruleset, submission: Submission) -> list[str]:
    """Everything an email must not carry: answered questions' texts, suggested conditions, name, phone, email."""
    texts = [q.text for q in ruleset.questions if submission.answers.get(q.code)]
    conditions = [c.name for c in ruleset.conditions if c.slug in submission.result.get("suggestions", [])]
    contact = [submission.contact_name, submission.contact_phone, submission.contact_email]
    return [t for t in [*texts, *conditions, *contact] if t]


__all__ = ["PATIENT", "health_details", "own_result", "submission_make", "wait_for"]
